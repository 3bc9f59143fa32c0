-- wrk script: PUT /api/v1/installations/{id} as devices do.
-- Four requests in five register a new installation (fresh id, fresh FCM token); the fifth re-registers
-- the previous installation with a refreshed token and a logged-in user (token_refreshed + user_assigned).
-- Usage: APP_KEY=ak_... wrk -t1 -c32 -d30s --latency -s registration.lua http://127.0.0.1:5099 -- RUN_NAME
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  run = args[1] or tostring(os.time())
  counter = 0
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-App-Key"] = os.getenv("APP_KEY")
end

local pad = string.rep("x", 120)

local function token(n)
  return string.format("b%s-%d-%d:APA91b%s", run, tid, n, pad)
end

function request()
  counter = counter + 1
  local n = counter
  local id, body
  if n % 5 == 0 then
    id = string.format("%s-%d-%d", run, tid, n - 1)
    body = string.format('{"platform":"android","pushToken":"%s","userId":"user-%d-%d","language":"fr","timeZone":"Europe/Paris","appVersion":"3.2.1","osVersion":"14","deviceModel":"Pixel 8"}', token(n), tid, n)
  else
    id = string.format("%s-%d-%d", run, tid, n)
    body = string.format('{"platform":"android","pushToken":"%s","language":"fr","timeZone":"Europe/Paris","appVersion":"3.2.0","osVersion":"14","deviceModel":"Pixel 8","tags":["attendee","day-1"]}', token(n))
  end
  return wrk.format("PUT", "/api/v1/installations/" .. id, nil, body)
end
