-- wrk script: POST /api/v1/units with a new code each time (a write that
-- goes through validation, scope, the transaction and the audit row).
-- Env: CORDON_COOKIE, CORDON_CSRF, CORDON_PARENT, CORDON_TAG.
local counter = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  parent = os.getenv("CORDON_PARENT")
  tag = os.getenv("CORDON_TAG") or "w"
  wrk.headers["Cookie"] = os.getenv("CORDON_COOKIE")
  wrk.headers["X-CSRF-Token"] = os.getenv("CORDON_CSRF")
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  counter = counter + 1
  local body = string.format(
    '{"parent_id":%s,"kind":"building","code":"%s-%d-%d","name":"压测楼%d"}',
    parent, tag, tid, counter, counter)
  return wrk.format("POST", "/api/v1/units", nil, body)
end
