# Written for uprank's tests.
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = <<-EOT
    Session cache; "engine_version" below is what matters.
  EOT
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = "cache.t4g.small"
}

resource "aws_mq_broker" "events" {
  broker_name        = "events"
  engine_type        = "RabbitMQ"
  engine_version     = "3.13"
  host_instance_type = "mq.t3.micro"
}
