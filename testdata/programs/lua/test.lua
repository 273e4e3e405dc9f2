-- Exercise of the Lua interpreter run by luamain.c. Output must be deterministic:
-- no addresses, no times, and table keys are sorted before printing (string hashing
-- is seeded per process).

local function sorted_keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks, function(a, b) return tostring(a) < tostring(b) end)
  return ks
end

print("== args")
for i = 1, #arg do print(i, arg[i]) end

print("== closures")
local function counter(step)
  local n = 0
  return function() n = n + step; return n end
end
local c1, c2 = counter(1), counter(10)
c1(); c1(); c2()
print(c1(), c2())
local adders = {}
for i = 1, 5 do adders[i] = function(x) return x + i end end
print(adders[1](100), adders[5](100))
local function Y(f) return function(...) return f(Y(f), ...) end end
local fact = Y(function(self, n) if n <= 1 then return 1 end return n * self(n - 1) end)
print("20! =", fact(20))

print("== coroutines")
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i * i) end
    return "done"
  end)
end
local g = gen(5)
local acc = {}
for _ = 1, 6 do acc[#acc + 1] = tostring(g()) end
print(table.concat(acc, ","))
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  error({code = d + e})
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
local ok, err = coroutine.resume(co, 3, 4)
print(ok, type(err), err.code, coroutine.status(co))
print(coroutine.isyieldable(), coroutine.running() ~= nil)
-- producer/consumer pipeline
local function producer()
  return coroutine.create(function()
    for _, w in ipairs({"alpha", "beta", "gamma", "delta"}) do coroutine.yield(w) end
  end)
end
local function filter(src)
  return coroutine.create(function()
    while true do
      local _, v = coroutine.resume(src)
      if not v then return end
      coroutine.yield(v:upper():sub(1, 3))
    end
  end)
end
local f = filter(producer())
local out = {}
while true do
  local _, v = coroutine.resume(f)
  if not v then break end
  out[#out + 1] = v
end
print(table.concat(out, " "))
-- coroutine.close with a pending to-be-closed variable
local closed = {}
local cc = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() closed[#closed + 1] = "x closed" end})
  coroutine.yield(1)
end)
coroutine.resume(cc)
print(coroutine.close(cc), closed[1])

print("== metatables")
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec.__mul(a, s) return Vec.new(a.x * s, a.y * s) end
function Vec.__eq(a, b) return a.x == b.x and a.y == b.y end
function Vec.__lt(a, b) return a:len2() < b:len2() end
function Vec.__le(a, b) return a:len2() <= b:len2() end
function Vec.__tostring(v) return string.format("(%g, %g)", v.x, v.y) end
function Vec.__len(v) return 2 end
function Vec.__call(v, k) return v[k] end
function Vec.__concat(a, b) return tostring(a) .. "|" .. tostring(b) end
function Vec.__unm(v) return Vec.new(-v.x, -v.y) end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = Vec.new(1, 2), Vec.new(3, 4.5)
print(tostring(a + b), tostring(a * 3), a == Vec.new(1, 2), a < b, b <= a, #a, a("y"), a .. b, tostring(-b))
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get " .. k; return k:upper() end,
  __newindex = function(t, k, v) log[#log + 1] = "set " .. k; rawset(t, k, v * 2) end,
})
proxy.a = 21
print(proxy.a, proxy.zz, rawget(proxy, "zz"), table.concat(log, ";"))
local weak = setmetatable({}, {__mode = "k"})
do weak[{}] = 1; weak[{}] = 2 end
collectgarbage(); collectgarbage()
local nweak = 0
for _ in pairs(weak) do nweak = nweak + 1 end
print("weak entries after gc:", nweak)
-- inheritance
local Animal = {}
Animal.__index = Animal
function Animal.new(name) return setmetatable({name = name}, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) return setmetatable(Animal.new(name), Dog) end
function Dog:speak() return self.name .. " barks; " .. Animal.speak(self) end
print(Dog.new("rex"):speak())

print("== strings and patterns")
local s = "The quick brown fox jumps over the lazy dog 42 times, 3.5 each"
print(s:find("quick"), s:match("(%a+) fox"), s:gsub("%s+", "_"))
local words = {}
for w in s:gmatch("%a+") do words[#words + 1] = w:lower() end
print(#words, table.concat(words, ",", 1, 5))
print(string.gsub("hello world", "(o)", "[%1]"))
print(string.gsub("abc=1, de=22", "(%w+)=(%w+)", "%2=%1"))
print(string.gsub("$name is $age", "%$(%w+)", {name = "lua", age = 30}))
print(string.gsub("x y z", "%w", function(c) return c:byte() end))
print(("%d %5.2f %-6s| %x %X %o %e %q"):format(42, math.pi, "ab", 255, 255, 8, 12345.678, "a\n\"b\"\0"))
print(string.rep("ab", 3, "-"), ("hello"):reverse(), ("MiXeD"):lower(), #"\u{48}\u{49}")
print(string.find("a.b.c", ".", 1, true), string.find("key = value", "^(%w+)%s*=%s*(%w+)$"))
print(string.match("  trim me  ", "^%s*(.-)%s*$") .. "|", string.match("2024-01-15", "(%d+)-(%d+)-(%d+)"))
print(string.format("%s", string.match("[[nested]]", "%[(%b[])%]")), ("%f"):format(1/3))
print(string.byte("ABC", 1, -1), string.char(76, 117, 97))
print(string.pack("<i4 z", 1000, "hi"):byte(1, -1))
print(string.unpack("<i4 z", string.pack("<i4 z", -7, "xyz")))
print(("%g %g %g %g"):format(1e300 * 1e10, -1e300 * 1e10, 0.1, 100000000000000))

print("== errors")
print(pcall(error, "plain"))
print(pcall(error, "with level", 0))
print(select("#", pcall(error)))
local ok2, e2 = pcall(error, {code = 42, msg = "table error"})
print(ok2, type(e2), e2.code, e2.msg)
local ok3, e3 = pcall(function() local t = nil; return t.field end)
print(ok3, e3)
local ok4, e4 = pcall(function() return 1 + {} end)
print(ok4, e4)
print(xpcall(function() error("deep") end, function(m) return "handled: " .. m end))
local E = setmetatable({}, {__tostring = function(e) return "E<" .. e.what .. ">" end})
local ok5, e5 = pcall(function() error(setmetatable({what = "custom"}, getmetatable(E))) end)
print(ok5, tostring(e5))
print(pcall(string.rep))
print(pcall(setmetatable, 1, {}))
local function nested(n) if n == 0 then error("bottom", 2) end return nested(n - 1) end
print(pcall(nested, 3))
-- error inside a __close, and nested pcall chains
print(pcall(function()
  local t <close> = setmetatable({}, {__close = function(_, err) error("in close: " .. tostring(err), 0) end})
  error("body", 0)
end))
print(select(2, pcall(function() return select(2, pcall(error, "inner", 0)) .. "+outer" end)))
print(tostring(nil), tostring(true), tonumber("0x1F"), tonumber("z", 36), tonumber("10", 2), tonumber("1e2"), tonumber("x"))

print("== gc")
collectgarbage("collect")
local before = collectgarbage("count")
local function churn()
  local junk = {}
  for i = 1, 200000 do junk[i] = {i, tostring(i)} end
  return #junk, collectgarbage("count") > before + 1000
end
print("allocated", churn())
collectgarbage("collect")
print("freed", collectgarbage("count") < before + 4096)
local finalized = {}
do
  for i = 1, 5 do setmetatable({}, {__gc = function() finalized[#finalized + 1] = i end}) end
end
collectgarbage(); collectgarbage()
table.sort(finalized)
print("finalizers ran:", table.concat(finalized, ","))
print(collectgarbage("isrunning"), collectgarbage("step", 0) ~= nil)
print(collectgarbage("incremental"), collectgarbage("generational"), collectgarbage("incremental"))

print("== numbers")
print(1, 1.0, -0.0, 3 / 2, 3 // 2, 3.0 // 2, 7 % 3, -7 % 3, 7 % -3, -7.5 % 2, 2^10, 10 // 0.0, -10 % math.huge)
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, math.mininteger // -1)
print(1e15, 1e16, 123456789012345678, 2^53, 2^63, 0.1 + 0.2, 100 / 3, -1e-300 * 1e-300)
print(math.type(1), math.type(1.0), math.type("1"), math.tointeger(3.0), math.tointeger(3.5), 3 == 3.0)
print(string.format("%.14g", math.pi), math.floor(-3.5), math.ceil(-3.5), math.fmod(-7, 3), math.abs(math.mininteger))
print(math.sqrt(2), math.sin(1), math.exp(1), math.log(1024, 2), math.log(100, 10), math.huge, -math.huge)
print(tostring(0/0) == tostring(0/0), 0/0 ~= 0/0, math.ult(1, -1), 5 // 0.0, -5 // 0.0)
print(1 << 62, 1 << 63, 1 << 64, -1 >> 1, 0xFF ~ 0x0F, ~0, 5 & 3, 5 | 3)
print("10" + 5, "3" * "4", 10 .. 20, "0x10" + 0, " 12 " * 1, 2^-1074, 1.7976931348623157e308)
math.randomseed(42)
local r1 = {math.random(1, 100), math.random(1, 100), math.random()}
math.randomseed(42)
local r2 = {math.random(1, 100), math.random(1, 100), math.random()}
print("seeded random repeatable:", r1[1] == r2[1] and r1[2] == r2[2] and r1[3] == r2[3])
local t = {}
for i = 1, 10 do t[i] = (i * 7919) % 31 end
table.sort(t, function(x, y) return x > y end)
print(table.concat(t, " "), table.unpack({1, 2, 3}, 2))
print(table.concat(table.move({1, 2, 3, 4, 5}, 2, 4, 1, {}), ","), select(-1, 1, 2, 3), select("#", nil, nil))
local packed = table.pack(1, nil, 3)
print(packed.n, packed[1], packed[2], packed[3])
table.insert(t, 1, 99); table.remove(t); print(#t, t[1], t[#t])

print("== utf8")
local u = "héllo wörld — ☃ 𝄞"
print(#u, utf8.len(u), utf8.char(72, 228, 8364, 128512), utf8.codepoint(u, 1, 3))
local cps = {}
for p, c in utf8.codes("aé☃𝄞") do cps[#cps + 1] = p .. ":" .. c end
print(table.concat(cps, " "))
print(utf8.offset(u, 3), utf8.offset(u, -1), utf8.len("\xff"), utf8.charpattern)
for ch in u:gmatch(utf8.charpattern) do io.write(("%X "):format(utf8.codepoint(ch))) end
io.write("\n")

print("== host callbacks")
print(host.checksum("Wikipedia"), host.checksum(string.rep("jitrun", 1000)))
print(table.concat(host.map({1, 2, 3, 4}, function(x) return x * x end), ","))
print(pcall(host.checksum, {}))
print(pcall(host.map, {1, 2}, function(x) error("callback failed on " .. x) end))

print("== tables and misc")
local inventory = {apples = 3, pears = 7, plums = 0, [1] = "one", [2.0] = "two", [true] = "yes"}
for _, k in ipairs(sorted_keys(inventory)) do io.write(tostring(k), "=", tostring(inventory[k]), " ") end
io.write("\n")
local env = {print = print, x = 5}
local chunk = load("x = x * 2; return x", "chunk", "t", env)
print(chunk(), env.x, load("syntax error here"))
print(string.format("%q", 1/3), string.format("%q", math.mininteger), load("return " .. string.format("%q", 0.1))() == 0.1)
local dumped = string.dump(function(a) return a * 3 end)
print(load(dumped, "d", "b")(14))
goto skip
print("not printed")
::skip::
print(os.getenv("JITRUN_E2E"), os.getenv("NO_SUCH_VAR_XYZ"), type(os.clock()), os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365))
local tmp = os.tmpname()
local fh = assert(io.open(tmp, "w"))
fh:write("line one\n", 2, "\n", 3.5, "\n")
fh:close()
for line in io.lines(tmp) do io.write("[", line, "]") end
io.write("\n")
local fh2 = assert(io.open(tmp))
print(fh2:read("l", "n", "n"))
fh2:close()
os.remove(tmp)
print(io.open("/nonexistent/file"))
io.stderr:write("to stderr\n")
return 7
