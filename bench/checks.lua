-- wrk script for bench/isolation.sh: POST a health check, cycling through
-- many orders (one id a line in CORDON_ORDERS) with a new client id each
-- time. Env: CORDON_ORDERS, CORDON_DEVICE (Bearer token; empty for the
-- baseline), CORDON_TAG.
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  orders = {}
  for line in io.lines(os.getenv("CORDON_ORDERS")) do
    if #line > 0 then table.insert(orders, line) end
  end
  tag = os.getenv("CORDON_TAG") or "b"
  local dev = os.getenv("CORDON_DEVICE") or ""
  if #dev > 0 then wrk.headers["Authorization"] = "Bearer " .. dev end
  wrk.headers["Content-Type"] = "application/json"
  counter = 0
end
function request()
  counter = counter + 1
  local id = orders[((counter * 7919 + tid * 104729) % #orders) + 1]
  local body = string.format('{"temperature":36.%d,"symptoms":[],"client_id":"%s-%d-%d"}',
    counter % 9, tag, tid, counter)
  return wrk.format("POST", "/api/v1/isolations/" .. id .. "/checks", nil, body)
end
