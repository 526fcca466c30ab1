-- stormring.lua: a Wireshark dissector for stormring's datagrams (docs/protocol.md).
--
-- Every stormring datagram is one JSON object over UDP, on whatever ports the daemons were
-- given, so the dissector is heuristic: a UDP payload that is a JSON object with "v":1 and
-- a "type" of the protocol is stormring. "Decode As... > STORMRING" also works for a port.
--
--   wireshark -X lua_script:tools/wireshark/stormring.lua capture.pcap
--   tshark    -X lua_script:tools/wireshark/stormring.lua -r capture.pcap -2 -Y stormring
--
-- Or copy it into the personal Lua plugins folder (Help > About Wireshark > Folders).
--
-- Wireshark's Lua has no JSON library, so a small JSON reader below parses the datagram
-- and remembers where each value lies, so selecting a field highlights its bytes. The
-- reader refuses anything that is not strict JSON (and nesting deeper than 8), which is
-- reported as malformed; a well-formed stormring datagram never is.
--
-- Shown per datagram, in the tree and in the Info column: the message type, sender
-- (from), incarnation (sess), message id, Lamport clock, the link sequence number and
-- acknowledgements (ack, sack), the request a reply answers (re) and the frames of the
-- request and its reply, a store's record count, a FAILURE's reason, and retransmissions
-- (the same link seq or request id sent again). Filter fields are stormring.*, e.g.
-- `stormring.type == "store"`, `stormring.status == "FAILURE"`, `stormring.retransmission`.

local stormring = Proto("stormring", "stormring ring DHT protocol")

local MANAGER_REQUESTS = {
  ["register"] = true,
  ["setup-dht"] = true,
  ["dht-complete"] = true,
  ["query-dht"] = true,
  ["leave-dht"] = true,
  ["join-dht"] = true,
  ["dht-rebuilt"] = true,
  ["deregister"] = true,
  ["teardown-dht"] = true,
  ["teardown-complete"] = true,
  ["report-dead"] = true,
  ["check-in"] = true,
}
local PEER_MESSAGES = {
  ["set-id"] = true,
  ["store"] = true,
  ["count"] = true,
  ["teardown"] = true,
  ["reset-id"] = true,
  ["rebuild-dht"] = true,
  ["rebuild-done"] = true,
  ["node-joining"] = true,
  ["find-event"] = true,
  ["find-result"] = true,
  ["probe"] = true,
  ["gathered"] = true,
  ["write"] = true,
  ["write-result"] = true,
}
local function known_type(t)
  return MANAGER_REQUESTS[t] or PEER_MESSAGES[t] or t == "reply" or t == "ack"
end

---------------------------------------------------------------------------------------
-- Fields

local pf = {
  v = ProtoField.uint8("stormring.v", "Version", base.DEC),
  type = ProtoField.string("stormring.type", "Type"),
  class = ProtoField.string("stormring.class", "Class"),
  from = ProtoField.string("stormring.from", "From"),
  sess = ProtoField.uint32("stormring.sess", "Sender incarnation (sess)", base.DEC),
  id = ProtoField.uint64("stormring.id", "Message id", base.DEC),
  clock = ProtoField.uint64("stormring.clock", "Lamport clock", base.DEC),
  seq = ProtoField.uint64("stormring.seq", "Link sequence number", base.DEC),
  ack = ProtoField.uint64("stormring.ack", "Ack (next seq expected)", base.DEC),
  ack_sess = ProtoField.uint32("stormring.ack_sess", "Acknowledged link's sess", base.DEC),
  sack = ProtoField.uint64("stormring.sack", "Selective ack (held)", base.DEC),
  sack_count = ProtoField.uint32("stormring.sack_count", "Selective acks", base.DEC),
  acked_in = ProtoField.framenum("stormring.acked_frame", "Acknowledges the message in", base.NONE, frametype.ACK),
  re = ProtoField.uint64("stormring.re", "In reply to id (re)", base.DEC),
  request_in = ProtoField.framenum("stormring.request_in", "Request in", base.NONE, frametype.REQUEST),
  response_in = ProtoField.framenum("stormring.response_in", "Reply in", base.NONE, frametype.RESPONSE),
  response_time = ProtoField.relative_time("stormring.response_time", "Reply time"),
  retransmission = ProtoField.framenum("stormring.retransmission", "Retransmission of", base.NONE, frametype.DUP_ACK),
  status = ProtoField.string("stormring.status", "Status"),
  reason = ProtoField.string("stormring.reason", "Reason"),
  text = ProtoField.string("stormring.text", "Text"),
  name = ProtoField.string("stormring.name", "Peer name"),
  ip = ProtoField.string("stormring.ip", "IPv4 address"),
  port = ProtoField.uint16("stormring.port", "Port", base.DEC),
  mport = ProtoField.uint16("stormring.mport", "m-port", base.DEC),
  pport = ProtoField.uint16("stormring.pport", "p-port", base.DEC),
  n = ProtoField.int32("stormring.n", "Ring size asked (n)", base.DEC),
  year = ProtoField.string("stormring.year", "Year"),
  leader = ProtoField.string("stormring.leader", "Leader"),
  tuples = ProtoField.uint32("stormring.tuples", "Peer tuples", base.DEC),
  tuple = ProtoField.string("stormring.tuple", "Peer tuple"),
  node_id = ProtoField.uint16("stormring.node_id", "Node id", base.DEC),
  ring_size = ProtoField.uint16("stormring.ring_size", "Ring size", base.DEC),
  table_size = ProtoField.uint64("stormring.table_size", "Table size (s)", base.DEC),
  records = ProtoField.uint32("stormring.records", "Records", base.DEC),
  record = ProtoField.string("stormring.record", "Record"),
  event_id = ProtoField.uint64("stormring.event_id", "Event id", base.DEC),
  counts = ProtoField.string("stormring.counts", "Counts"),
  count_total = ProtoField.uint64("stormring.count_total", "Records counted so far", base.DEC),
  purpose = ProtoField.string("stormring.purpose", "Purpose"),
  initiator = ProtoField.string("stormring.initiator", "Initiator"),
  joiner = ProtoField.string("stormring.joiner", "Joiner"),
  origin = ProtoField.string("stormring.origin", "Origin"),
  query_id = ProtoField.uint64("stormring.query_id", "Query id", base.DEC),
  nonce = ProtoField.string("stormring.nonce", "Query nonce"),
  hmac = ProtoField.string("stormring.hmac", "HMAC-SHA256 tag (--secret; not checked here)"),
  id_seq = ProtoField.string("stormring.id_seq", "id-seq"),
  hops = ProtoField.uint32("stormring.hops", "Hops so far", base.DEC),
  found = ProtoField.bool("stormring.found", "Found"),
  other = ProtoField.string("stormring.other", "Other field"),
}
local field_list = {}
for _, field in pairs(pf) do field_list[#field_list + 1] = field end
stormring.fields = field_list

local ef = {
  malformed = ProtoExpert.new("stormring.malformed", "Not a valid stormring datagram",
    expert.group.MALFORMED, expert.severity.ERROR),
  failure = ProtoExpert.new("stormring.failure", "Manager answered FAILURE",
    expert.group.RESPONSE_CODE, expert.severity.NOTE),
  not_found = ProtoExpert.new("stormring.not_found", "Storm event not found in the DHT",
    expert.group.RESPONSE_CODE, expert.severity.NOTE),
  retransmitted = ProtoExpert.new("stormring.retransmitted", "Retransmission",
    expert.group.SEQUENCE, expert.severity.NOTE),
  no_request = ProtoExpert.new("stormring.no_request", "The request of this reply is not in the capture",
    expert.group.SEQUENCE, expert.severity.NOTE),
}
stormring.experts = { ef.malformed, ef.failure, ef.not_found, ef.retransmitted, ef.no_request }

---------------------------------------------------------------------------------------
-- A small JSON reader. Each value is a node {t = kind, v = value, s = first byte,
-- e = last byte} (1-based, inclusive, in the Lua string); objects also keep their keys in
-- order (keys) and the node of each key's name (knodes).

local MAX_DEPTH = 8

local function json_error(at, what)
  error({ json = true, at = at, what = what }, 0)
end

local function skip_space(s, i)
  local _, last = string.find(s, "^[ \t\r\n]*", i)
  return last + 1
end

local ESCAPES = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

local function utf8_char(code)
  if code < 0x80 then return string.char(code) end
  if code < 0x800 then
    return string.char(0xC0 + math.floor(code / 0x40), 0x80 + code % 0x40)
  end
  if code < 0x10000 then
    return string.char(0xE0 + math.floor(code / 0x1000), 0x80 + math.floor(code / 0x40) % 0x40,
      0x80 + code % 0x40)
  end
  return string.char(0xF0 + math.floor(code / 0x40000), 0x80 + math.floor(code / 0x1000) % 0x40,
    0x80 + math.floor(code / 0x40) % 0x40, 0x80 + code % 0x40)
end

local function read_string(s, i)
  -- s:sub(i, i) is the opening quote.
  local parts = {}
  local pos = i + 1
  while true do
    local stop = string.find(s, '["\\%c]', pos)
    if stop == nil then json_error(i, "unterminated string") end
    parts[#parts + 1] = string.sub(s, pos, stop - 1)
    local c = string.sub(s, stop, stop)
    if c == '"' then
      return { t = "string", v = table.concat(parts), s = i, e = stop }, stop + 1
    elseif c == "\\" then
      local esc = string.sub(s, stop + 1, stop + 1)
      if ESCAPES[esc] then
        parts[#parts + 1] = ESCAPES[esc]
        pos = stop + 2
      elseif esc == "u" then
        local hex = string.match(s, "^%x%x%x%x", stop + 2)
        if hex == nil then json_error(stop, "bad \\u escape") end
        local code = tonumber(hex, 16)
        pos = stop + 6
        -- A surrogate pair stands for one character above U+FFFF.
        if code >= 0xD800 and code <= 0xDBFF then
          local low = string.match(s, "^\\u(%x%x%x%x)", pos)
          local low_code = low and tonumber(low, 16)
          if low_code and low_code >= 0xDC00 and low_code <= 0xDFFF then
            code = 0x10000 + (code - 0xD800) * 0x400 + (low_code - 0xDC00)
            pos = pos + 6
          end
        end
        parts[#parts + 1] = utf8_char(code)
      else
        json_error(stop, "bad escape")
      end
    elseif string.byte(c) == 127 then
      -- DEL is a control character to Lua's %c but may stand unescaped in JSON.
      parts[#parts + 1] = c
      pos = stop + 1
    else
      json_error(stop, "control character in a string")
    end
  end
end

local read_value

local function read_object(s, i, depth)
  local node = { t = "object", v = {}, keys = {}, knodes = {}, s = i }
  local pos = skip_space(s, i + 1)
  if string.sub(s, pos, pos) == "}" then
    node.e = pos
    return node, pos + 1
  end
  while true do
    if string.sub(s, pos, pos) ~= '"' then json_error(pos, "expected a key") end
    local key, after = read_string(s, pos)
    pos = skip_space(s, after)
    if string.sub(s, pos, pos) ~= ":" then json_error(pos, "expected ':'") end
    local value
    value, pos = read_value(s, skip_space(s, pos + 1), depth + 1)
    if node.v[key.v] == nil then node.keys[#node.keys + 1] = key.v end
    node.v[key.v] = value
    node.knodes[key.v] = key
    pos = skip_space(s, pos)
    local c = string.sub(s, pos, pos)
    if c == "}" then
      node.e = pos
      return node, pos + 1
    elseif c ~= "," then
      json_error(pos, "expected ',' or '}'")
    end
    pos = skip_space(s, pos + 1)
  end
end

local function read_array(s, i, depth)
  local node = { t = "array", v = {}, s = i }
  local pos = skip_space(s, i + 1)
  if string.sub(s, pos, pos) == "]" then
    node.e = pos
    return node, pos + 1
  end
  while true do
    local value
    value, pos = read_value(s, pos, depth + 1)
    node.v[#node.v + 1] = value
    pos = skip_space(s, pos)
    local c = string.sub(s, pos, pos)
    if c == "]" then
      node.e = pos
      return node, pos + 1
    elseif c ~= "," then
      json_error(pos, "expected ',' or ']'")
    end
    pos = skip_space(s, pos + 1)
  end
end

read_value = function(s, i, depth)
  if depth > MAX_DEPTH then json_error(i, "nested too deep") end
  local c = string.sub(s, i, i)
  if c == "{" then return read_object(s, i, depth) end
  if c == "[" then return read_array(s, i, depth) end
  if c == '"' then return read_string(s, i) end
  local number = string.match(s, "^-?%d+%.?%d*[eE]?[-+]?%d*", i)
  if number ~= nil and number ~= "" and string.match(number, "^-?0%d") == nil then
    local value = tonumber(number)
    if value == nil then json_error(i, "bad number") end
    return { t = "number", v = value, raw = number, s = i, e = i + #number - 1 }, i + #number
  end
  for word, value in pairs({ ["true"] = true, ["false"] = false, null = "null" }) do
    if string.sub(s, i, i + #word - 1) == word then
      return { t = word == "null" and "null" or "boolean", v = value, s = i, e = i + #word - 1 },
        i + #word
    end
  end
  json_error(i, "unexpected character")
end

--- Parses `s` as one JSON value; returns the node, or nil and a message.
local function parse_json(s)
  local ok, node_or_error, pos = pcall(read_value, s, skip_space(s, 1), 1)
  if not ok then
    local failure = node_or_error
    if type(failure) == "table" and failure.json then
      return nil, string.format("%s at byte %d", failure.what, failure.at - 1)
    end
    error(failure, 0)
  end
  if skip_space(s, pos) <= #s then
    return nil, string.format("trailing bytes at %d", pos - 1)
  end
  return node_or_error
end

---------------------------------------------------------------------------------------
-- Pairing: requests with their replies, link messages with their acks, retransmissions.
-- Filled in on the first pass over the capture; every later pass (Wireshark's display,
-- tshark -2) reads what was found, so a request can name the frame of its reply.

local requests -- "ip:port#id" -> { frame, sess, time, reply }
local links -- "src>dst#sess#seq" -> first frame
local frame_notes -- frame number -> { request_in, retransmission_of, acked, time }

local function reset()
  requests = {}
  links = {}
  frame_notes = {}
end
-- Called by Wireshark before each (re)reading of a capture.
stormring.init = reset
reset()

local function endpoint(address, port)
  return tostring(address) .. ":" .. tostring(port)
end

local function note_first_pass(pinfo, msg)
  local notes = {}
  local src = endpoint(pinfo.src, pinfo.src_port)
  local dst = endpoint(pinfo.dst, pinfo.dst_port)
  local number = pinfo.number
  local t = msg.type
  if MANAGER_REQUESTS[t] and msg.id then
    local key = src .. "#" .. msg.id
    local seen = requests[key]
    if seen ~= nil and seen.sess == msg.sess then
      notes.retransmission_of = seen.frame
    else
      requests[key] = { frame = number, sess = msg.sess, time = pinfo.abs_ts }
    end
  elseif t == "reply" and msg.re then
    local request = requests[dst .. "#" .. msg.re]
    if request ~= nil then
      notes.request_in = request.frame
      notes.time = pinfo.abs_ts - request.time
      if request.reply == nil then
        request.reply = number
      else
        notes.retransmission_of = request.reply
      end
    end
  elseif PEER_MESSAGES[t] and msg.seq then
    local key = src .. ">" .. dst .. "#" .. tostring(msg.sess) .. "#" .. msg.seq
    if links[key] ~= nil then
      notes.retransmission_of = links[key]
    else
      links[key] = number
    end
  elseif t == "ack" and msg.ack and msg.ackSess then
    -- ack = next seq expected: it acknowledges the message with seq ack - 1.
    notes.acked = links[dst .. ">" .. src .. "#" .. tostring(msg.ackSess) .. "#" .. (msg.ack - 1)]
  end
  frame_notes[number] = notes
end

---------------------------------------------------------------------------------------
-- The tree

local function range_of(tvb, base, node)
  return tvb(base + node.s - 1, node.e - node.s + 1)
end

local function tuple_text(node)
  if node == nil or node.t ~= "object" then return "?" end
  local name = node.v.name and node.v.name.v or "?"
  local ip = node.v.ip and node.v.ip.v or "?"
  local port = node.v.port and node.v.port.v or "?"
  return string.format("%s@%s:%s", tostring(name), tostring(ip), tostring(port))
end

local function number_list(node)
  if node == nil or node.t ~= "array" then return "" end
  local items = {}
  for index, item in ipairs(node.v) do items[index] = tostring(item.raw or item.v) end
  return table.concat(items, " ")
end

local function add_tuple(tree, tvb, base, node, field)
  local item = tree:add(field, range_of(tvb, base, node), tuple_text(node))
  if node.t == "object" then
    if node.v.name then item:add(pf.name, range_of(tvb, base, node.v.name), node.v.name.v) end
    if node.v.ip then item:add(pf.ip, range_of(tvb, base, node.v.ip), node.v.ip.v) end
    if node.v.port and node.v.port.t == "number" then
      item:add(pf.port, range_of(tvb, base, node.v.port), node.v.port.v)
    end
  end
  return item
end

-- 64-bit fields take a UInt64, not a Lua number (ids and clocks may pass 2^32).
local WIDE = {
  [pf.id] = true, [pf.clock] = true, [pf.seq] = true, [pf.ack] = true, [pf.sack] = true,
  [pf.re] = true, [pf.table_size] = true, [pf.event_id] = true, [pf.count_total] = true,
  [pf.query_id] = true,
}

local function value_for(field, value)
  if WIDE[field] then return UInt64.new(value) end
  return value
end

local function add_number(tree, field, tvb, base, node)
  if node ~= nil and node.t == "number" then
    return tree:add(field, range_of(tvb, base, node), value_for(field, node.v))
  end
end

local function add_string(tree, field, tvb, base, node)
  if node ~= nil and node.t == "string" then
    return tree:add(field, range_of(tvb, base, node), node.v)
  end
end

-- Fields every message has, shown first, and the ones shown by their own code below.
local HANDLED = {
  v = true, type = true, from = true, sess = true, id = true, clock = true, seq = true,
  ack = true, ackSess = true, sack = true, re = true, status = true, reason = true,
  text = true, name = true, ip = true, mport = true, pport = true, n = true, year = true,
  leader = true, tuples = true, tuple = true, nodeId = true, ringSize = true,
  tableSize = true, records = true, counts = true, purpose = true, initiator = true,
  joiner = true, origin = true, queryId = true, nonce = true, eventId = true, idSeq = true, record = true,
}

local function class_of(t)
  if MANAGER_REQUESTS[t] then return "manager request" end
  if t == "reply" then return "manager reply" end
  if t == "ack" then return "link acknowledgement" end
  return "peer message"
end

local function dissect_message(tvb, pinfo, tree, base, root)
  local f = root.v
  local t = f.type.v
  local item = tree:add(stormring, range_of(tvb, base, root))
  item:append_text(": " .. t)
  item:add(pf.class, class_of(t)):set_generated()
  add_number(item, pf.v, tvb, base, f.v)
  add_string(item, pf.type, tvb, base, f.type)
  add_string(item, pf.from, tvb, base, f.from)
  add_number(item, pf.sess, tvb, base, f.sess)
  add_number(item, pf.id, tvb, base, f.id)
  add_number(item, pf.clock, tvb, base, f.clock)
  add_number(item, pf.seq, tvb, base, f.seq)

  local msg = {}
  for key, node in pairs(f) do
    if node.t == "number" or node.t == "string" then msg[key] = node.v end
  end
  if not pinfo.visited then note_first_pass(pinfo, msg) end
  local notes = frame_notes[pinfo.number] or {}

  local info = {}
  local from = f.from and f.from.v or "?"
  local summary = t

  if MANAGER_REQUESTS[t] then
    add_string(item, pf.name, tvb, base, f.name)
    add_string(item, pf.ip, tvb, base, f.ip)
    add_number(item, pf.mport, tvb, base, f.mport)
    add_number(item, pf.pport, tvb, base, f.pport)
    add_number(item, pf.n, tvb, base, f.n)
    add_string(item, pf.year, tvb, base, f.year)
    add_string(item, pf.leader, tvb, base, f.leader)
    local args = {}
    for _, key in ipairs({ "name", "ip", "mport", "pport", "n", "year", "leader" }) do
      if f[key] then args[#args + 1] = tostring(f[key].raw or f[key].v) end
    end
    summary = t .. " " .. table.concat(args, " ")
    local request = f.id and requests[endpoint(pinfo.src, pinfo.src_port) .. "#" .. f.id.v]
    if request ~= nil and request.reply ~= nil and notes.retransmission_of == nil then
      item:add(pf.response_in, request.reply):set_generated()
      info[#info + 1] = "reply in " .. request.reply
    end
  elseif t == "reply" then
    add_number(item, pf.re, tvb, base, f.re)
    local status = f.status and f.status.v or "?"
    add_string(item, pf.status, tvb, base, f.status)
    local reason_item = add_string(item, pf.reason, tvb, base, f.reason)
    add_string(item, pf.text, tvb, base, f.text)
    summary = "reply re=" .. tostring(f.re and f.re.raw or "?") .. " " .. status
    if status == "FAILURE" then
      local reason = f.reason and f.reason.v or ""
      summary = summary .. " " .. reason
      item:add_proto_expert_info(ef.failure, "FAILURE " .. reason ..
        (f.text and (": " .. f.text.v) or ""))
      if reason_item == nil then reason_item = item end
    end
    if f.tuples and f.tuples.t == "array" then
      local list = item:add(pf.tuples, range_of(tvb, base, f.tuples), #f.tuples.v)
      for _, node in ipairs(f.tuples.v) do add_tuple(list, tvb, base, node, pf.tuple) end
      summary = summary .. " " .. #f.tuples.v .. " tuples"
    end
    if f.tuple then
      add_tuple(item, tvb, base, f.tuple, pf.tuple)
      summary = summary .. " " .. tuple_text(f.tuple)
    end
    add_string(item, pf.year, tvb, base, f.year)
    if notes.request_in ~= nil then
      item:add(pf.request_in, notes.request_in):set_generated()
      if notes.time ~= nil then
        local seconds = math.floor(notes.time)
        local nanoseconds = math.floor((notes.time - seconds) * 1e9 + 0.5)
        item:add(pf.response_time, NSTime.new(seconds, nanoseconds)):set_generated()
      end
      info[#info + 1] = "request in " .. notes.request_in
    else
      item:add_proto_expert_info(ef.no_request)
    end
  elseif t == "ack" then
    add_number(item, pf.ack_sess, tvb, base, f.ackSess)
    add_number(item, pf.ack, tvb, base, f.ack)
    local sacks = f.sack and f.sack.t == "array" and f.sack.v or {}
    if f.sack then
      local list = item:add(pf.sack_count, range_of(tvb, base, f.sack), #sacks)
      for _, node in ipairs(sacks) do add_number(list, pf.sack, tvb, base, node) end
    end
    summary = "ack " .. tostring(f.ack and f.ack.raw or "?")
    if #sacks > 0 then summary = summary .. " sack [" .. number_list(f.sack) .. "]" end
    if notes.acked ~= nil then
      item:add(pf.acked_in, notes.acked):set_generated()
      info[#info + 1] = "acks " .. notes.acked
    end
  else
    -- Peer messages on a link.
    add_number(item, pf.table_size, tvb, base, f.tableSize)
    add_number(item, pf.node_id, tvb, base, f.nodeId)
    add_number(item, pf.ring_size, tvb, base, f.ringSize)
    add_string(item, pf.year, tvb, base, f.year)
    add_string(item, pf.purpose, tvb, base, f.purpose)
    add_string(item, pf.leader, tvb, base, f.leader)
    add_number(item, pf.query_id, tvb, base, f.queryId)
    add_string(item, pf.nonce, tvb, base, f.nonce)
    add_number(item, pf.event_id, tvb, base, f.eventId)
    if f.initiator then
      if f.initiator.t == "object" then
        add_tuple(item, tvb, base, f.initiator, pf.initiator)
      else
        add_string(item, pf.initiator, tvb, base, f.initiator)
      end
    end
    if f.joiner then add_tuple(item, tvb, base, f.joiner, pf.joiner) end
    if f.origin then add_tuple(item, tvb, base, f.origin, pf.origin) end
    if f.tuples and f.tuples.t == "array" then
      local list = item:add(pf.tuples, range_of(tvb, base, f.tuples), #f.tuples.v)
      for _, node in ipairs(f.tuples.v) do add_tuple(list, tvb, base, node, pf.tuple) end
    end
    if f.counts and f.counts.t == "array" then
      local total = 0
      for _, node in ipairs(f.counts.v) do total = total + (tonumber(node.v) or 0) end
      item:add(pf.counts, range_of(tvb, base, f.counts), "[" .. number_list(f.counts) .. "]")
      item:add(pf.count_total, UInt64.new(total)):set_generated()
    end
    if f.idSeq and f.idSeq.t == "array" then
      item:add(pf.id_seq, range_of(tvb, base, f.idSeq), "[" .. number_list(f.idSeq) .. "]")
      item:add(pf.hops, #f.idSeq.v):set_generated()
    end
    if f.records and f.records.t == "array" then
      local list = item:add(pf.records, range_of(tvb, base, f.records), #f.records.v)
      for _, node in ipairs(f.records.v) do
        if node.t == "string" then
          local event = string.match(node.v, "^(%d+)\t") or "?"
          local shown = string.gsub(node.v, "\t", " | ")
          local record = list:add(pf.record, range_of(tvb, base, node), shown)
          local id = tonumber(event)
          if id ~= nil then record:add(pf.event_id, range_of(tvb, base, node), UInt64.new(id)) end
        end
      end
    end
    if f.record and f.record.t == "array" then
      local values = {}
      for index, node in ipairs(f.record.v) do values[index] = tostring(node.v) end
      item:add(pf.record, range_of(tvb, base, f.record), table.concat(values, " | "))
    end
    if f.record and f.record.t == "string" then
      -- A write carries its record as one tab-separated line, as stores do.
      item:add(pf.record, range_of(tvb, base, f.record), (string.gsub(f.record.v, "\t", " | ")))
    end
    add_string(item, pf.reason, tvb, base, f.reason)

    if t == "store" then
      summary = "store " .. (f.records and f.records.t == "array" and #f.records.v or 0) .. " records"
    elseif t == "set-id" or t == "reset-id" then
      summary = t .. " " .. tostring(f.nodeId and f.nodeId.raw or "?") ..
        " (ring of " .. tostring(f.ringSize and f.ringSize.raw or "?") .. ")"
    elseif t == "count" or t == "rebuild-done" then
      summary = t .. " [" .. number_list(f.counts) .. "]"
    elseif t == "teardown" then
      summary = t .. " (" .. tostring(f.purpose and f.purpose.v or "?") .. ")"
    elseif t == "find-event" then
      summary = t .. " " .. tostring(f.eventId and f.eventId.raw or "?") ..
        " id-seq [" .. number_list(f.idSeq) .. "]"
    elseif t == "find-result" then
      local outcome = f.record and "found" or (f.reason and f.reason.v or "not found")
      item:add(pf.found, f.record ~= nil):set_generated()
      if f.record == nil and f.reason == nil then item:add_proto_expert_info(ef.not_found) end
      summary = t .. " " .. tostring(f.eventId and f.eventId.raw or "?") .. " " .. outcome
    elseif t == "write" then
      local op = f.record and "insert" or "delete"
      summary = t .. " " .. op .. " " .. tostring(f.eventId and f.eventId.raw or "?") ..
        " (" .. tostring(f.hop and f.hop.v or "?") .. ")"
    elseif t == "write-result" then
      summary = t .. " " .. tostring(f.eventId and f.eventId.raw or "?") .. " " ..
        (f.reason and f.reason.v or "SUCCESS")
    elseif t == "gathered" then
      summary = t .. " (" .. tostring(f.sent and f.sent.raw or "?") .. " records sent)"
    elseif t == "node-joining" then
      summary = t .. " " .. tuple_text(f.joiner)
    elseif t == "rebuild-dht" then
      summary = t .. " " .. tostring(f.year and f.year.v or "?")
    end
  end

  -- Anything else the object holds is listed as it is.
  for _, key in ipairs(root.keys) do
    if not HANDLED[key] then
      local node = f[key]
      item:add(pf.other, range_of(tvb, base, node), key .. ": " ..
        (node.t == "string" and node.v or string.sub(tvb:raw(base + node.s - 1, node.e - node.s + 1), 1, 80)))
    end
  end

  if notes.retransmission_of ~= nil then
    item:add(pf.retransmission, notes.retransmission_of):set_generated()
    item:add_proto_expert_info(ef.retransmitted, "Retransmission of frame " .. notes.retransmission_of)
    info[#info + 1] = "retransmission of " .. notes.retransmission_of
  end

  local envelope = "from=" .. from
  if f.id then envelope = envelope .. " id=" .. tostring(f.id.raw) end
  if f.clock then envelope = envelope .. " clock=" .. tostring(f.clock.raw) end
  if f.seq then envelope = envelope .. " seq=" .. tostring(f.seq.raw) end
  local text = summary .. "  " .. envelope
  if #info > 0 then text = text .. " [" .. table.concat(info, ", ") .. "]" end
  return text
end

---------------------------------------------------------------------------------------
-- Entry points

--- Whether the payload looks like a stormring datagram: a JSON object with "v":1 and a
--- known "type". Cheap string checks first; the full parse comes after.
local function looks_like_stormring(text)
  if not string.find(text, "^[ \t\r\n]*{") then return false end
  if not string.find(text, '"v"[ \t\r\n]*:[ \t\r\n]*1[ \t\r\n,}]') then return false end
  local t = string.match(text, '"type"[ \t\r\n]*:[ \t\r\n]*"([%a-]+)"')
  return t ~= nil and known_type(t)
end

--- A datagram of daemons run with --secret is its JSON, a newline and 64 hex digits.
local function split_tag(text)
  local json, tag = string.match(text, "^(.*)\n(" .. string.rep("%x", 64) .. ")$")
  if json == nil then return text, nil end
  return json, tag
end

local function dissect(tvb, pinfo, tree)
  local length = tvb:len()
  if length == 0 then return 0 end
  local text, tag = split_tag(tvb:raw(0, length))
  pinfo.cols.protocol = "STORMRING"
  if tag ~= nil then tree:add(pf.hmac, tvb(#text + 1, 64), tag) end
  local root, problem = parse_json(text)
  if root == nil or root.t ~= "object" or root.v.type == nil or root.v.type.t ~= "string"
      or not known_type(root.v.type.v) then
    local item = tree:add(stormring, tvb())
    local why = problem or "not a JSON object with a known type"
    item:add_proto_expert_info(ef.malformed, "Not a valid stormring datagram: " .. why)
    pinfo.cols.info = "Malformed stormring datagram: " .. why
    return length
  end
  pinfo.cols.info = dissect_message(tvb, pinfo, tree, 0, root)
  return length
end

stormring.dissector = dissect

local function heuristic(tvb, pinfo, tree)
  local length = tvb:len()
  if length < 20 then return false end
  -- The envelope ("v", "from", ...) comes last in the daemons' datagrams: read it all.
  if not looks_like_stormring(tvb:raw(0, length)) then return false end
  dissect(tvb, pinfo, tree)
  return true
end

stormring:register_heuristic("udp", heuristic)
-- Listed in "Decode As..." for UDP ports, for a port another dissector claims first.
DissectorTable.get("udp.port"):add_for_decode_as(stormring)
