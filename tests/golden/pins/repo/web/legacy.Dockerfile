# Older than the oldest PostgreSQL cycle endoflife.date lists (6.3).
FROM postgres:6.2.1
