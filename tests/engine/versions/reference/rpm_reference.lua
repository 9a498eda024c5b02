-- Reference answers from rpm's own rpm.vercmp (rpmverCmp on parsed EVRs), per line
-- "cmp<TAB>A<TAB>B": "<", "=", ">" or "invalid". Run inside rpm's Lua interpreter:
--   rpm --define "_uprank_in INPUT" --define "_uprank_out OUTPUT" \
--       --eval "%{lua: dofile('rpm_reference.lua')}"
local input = rpm.expand("%{_uprank_in}")
local output = rpm.expand("%{_uprank_out}")
local tab = string.char(9)
local out = {}
for line in io.lines(input) do
  if line ~= "" then
    local first = line:find(tab, 1, true)
    local second = line:find(tab, first + 1, true)
    local a = line:sub(first + 1, second - 1)
    local b = line:sub(second + 1)
    local ok, c = pcall(rpm.vercmp, a, b)
    if not ok then
      out[#out + 1] = "invalid"
    elseif c < 0 then
      out[#out + 1] = "<"
    elseif c > 0 then
      out[#out + 1] = ">"
    else
      out[#out + 1] = "="
    end
  end
end
local f = io.open(output, "w")
f:write(table.concat(out, "\n"), "\n")
f:close()
