import { assert, assertEquals, assertThrows } from "../../../tests/support/assert.ts";
import { PickleError, UnsupportedOpcodeError } from "./errors.ts";
import { OP } from "./pickle_opcodes.ts";
import { readPickle } from "./pickle_reader.ts";

/** Concatenates opcode bytes, numbers (single bytes) and ASCII strings. */
function stream(...parts: (number | string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else if (typeof p === "string") out.push(...new TextEncoder().encode(p));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}
const le32 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255];

Deno.test("readPickle: a hand-written Python 2 stream (SHORT_BINSTRING, BINSTRING, memo)", () => {
  // ([b'ab', <300 x 'z'>, b'ab' (memo get)], [True, False]) as cPickle protocol 2 writes it.
  const long = "z".repeat(300);
  const bytes = stream(
    OP.PROTO,
    2,
    OP.EMPTY_LIST,
    OP.BINPUT,
    0,
    OP.MARK,
    OP.SHORT_BINSTRING,
    2,
    "ab",
    OP.LONG_BINPUT,
    le32(300),
    OP.BINSTRING,
    le32(300),
    long,
    OP.BINPUT,
    2,
    OP.LONG_BINGET,
    le32(300),
    OP.APPENDS,
    OP.EMPTY_LIST,
    OP.NEWTRUE,
    OP.APPEND,
    OP.NEWFALSE,
    OP.APPEND,
    OP.TUPLE2,
    OP.STOP,
  );
  const v = readPickle(bytes) as unknown[];
  const [bins, issame] = v as [Uint8Array[], boolean[]];
  assertEquals(new TextDecoder().decode(bins[0]), "ab");
  assertEquals(new TextDecoder().decode(bins[1]), long);
  assert(bins[2] === bins[0], "memo returns the same object");
  assert(bins[1].buffer === bytes.buffer, "bytes are views, not copies");
  assertEquals(issame, [true, false]);
});

Deno.test("readPickle: ints, None, text, tuples, MEMOIZE/BINGET, FRAME, GLOBAL", () => {
  const bytes = stream(
    OP.PROTO,
    4,
    OP.FRAME,
    [30, 0, 0, 0, 0, 0, 0, 0],
    OP.MARK,
    OP.BININT1,
    7,
    OP.BININT2,
    [0x34, 0x12],
    OP.BININT,
    le32(-5),
    OP.NONE,
    OP.SHORT_BINUNICODE,
    2,
    "hi",
    OP.MEMOIZE,
    OP.BINGET,
    0,
    OP.EMPTY_TUPLE,
    OP.TUPLE,
    OP.STOP,
  );
  assertEquals(readPickle(bytes), [7, 0x1234, -5, null, "hi", "hi", []]);
});

Deno.test("readPickle: unsupported opcodes, new protocols and corrupt streams are named", () => {
  const dict = assertThrows(
    () => readPickle(stream(OP.PROTO, 2, OP.EMPTY_DICT, OP.STOP)),
    UnsupportedOpcodeError,
  );
  assertEquals(dict.opname, "EMPTY_DICT");
  assertEquals(dict.offset, 2);
  assert(dict.message.includes("protocol 2-5"), dict.message);
  const float = assertThrows(
    () => readPickle(stream(OP.PROTO, 2, OP.BINFLOAT, [0, 0, 0, 0, 0, 0, 0, 0], OP.STOP)),
    UnsupportedOpcodeError,
  );
  assertEquals(float.opname, "BINFLOAT");
  const junk = assertThrows(() => readPickle(stream(OP.PROTO, 2, 0xff)), UnsupportedOpcodeError);
  assertEquals(junk.opname, "?");
  const p6 = assertThrows(() => readPickle(stream(OP.PROTO, 6, OP.NONE, OP.STOP)), PickleError);
  assert(p6.message.includes("protocol 6"), p6.message);
  const noMark = assertThrows(() => readPickle(stream(OP.EMPTY_LIST, OP.APPENDS)), PickleError);
  assert(noMark.message.includes("without a MARK"), noMark.message);
  const cut = assertThrows(() => readPickle(stream(OP.BINBYTES, le32(100), "abc")), PickleError);
  assert(cut.message.includes("truncated"), cut.message);
  const noStop = assertThrows(() => readPickle(stream(OP.NONE)), PickleError);
  assert(noStop.message.includes("without STOP"), noStop.message);
  const global = assertThrows(
    () =>
      readPickle(
        stream(OP.GLOBAL, "os\nsystem\n", OP.SHORT_BINUNICODE, 2, "ls", OP.TUPLE1, OP.REDUCE),
      ),
    PickleError,
  );
  assert(global.message.includes("os.system"), global.message);
});
