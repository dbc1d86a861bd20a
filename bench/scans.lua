-- wrk script for bench/scans.sh: POST a gate scan, cycling through many
-- residents' pass tokens (one a line in CORDON_TOKENS) with a new client id
-- each time and a normal temperature. Env: CORDON_TOKENS (file),
-- CORDON_SCAN_PATH (/api/v1/gates/N/scans), CORDON_DEVICE (Bearer token;
-- empty for the baseline), CORDON_TAG (makes client ids unique per run).
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  tokens = {}
  for line in io.lines(os.getenv("CORDON_TOKENS")) do
    if #line > 0 then table.insert(tokens, line) end
  end
  path = os.getenv("CORDON_SCAN_PATH")
  tag = os.getenv("CORDON_TAG") or "b"
  local dev = os.getenv("CORDON_DEVICE") or ""
  if #dev > 0 then wrk.headers["Authorization"] = "Bearer " .. dev end
  wrk.headers["Content-Type"] = "application/json"
  counter = 0
end
function request()
  counter = counter + 1
  local tok = tokens[((counter * 7919 + tid * 104729) % #tokens) + 1]
  local body = string.format(
    '{"token":"%s","direction":"%s","temperature":36.%d,"client_id":"%s-%d-%d"}',
    tok, (counter % 2 == 0) and "in" or "out", counter % 9, tag, tid, counter)
  return wrk.format("POST", path, nil, body)
end
