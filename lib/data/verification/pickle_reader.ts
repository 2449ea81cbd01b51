/**
 * A minimal Python unpickler for exactly what insightface `.bin` files contain: protocols 2-5,
 * lists/tuples, bytes (Python 3 BINBYTES, Python 2 str via SHORT_BINSTRING/BINSTRING read as
 * bytes like `pickle.load(f, encoding='bytes')`, Python 3 protocol-2 `_codecs.encode`), text,
 * bools, small ints, None, the memo, and numpy bool/int arrays and scalars. Any other opcode
 * throws {@linkcode UnsupportedOpcodeError} naming it and its byte offset.
 *
 * Bytes values are `subarray` views into the input buffer (no copies), except the
 * `_codecs.encode` form, which has to be converted from its UTF-8 text.
 *
 * @module
 */
import { PickleError, UnsupportedOpcodeError } from "./errors.ts";
import { OP, opcodeName } from "./pickle_opcodes.ts";
import { buildObject, describe, PyGlobal, type PyValue, reduceGlobal } from "./pickle_objects.ts";

/** Highest pickle protocol this reader accepts. */
export const MAX_PICKLE_PROTOCOL = 5;

const utf8 = new TextDecoder("utf-8");

/**
 * Unpickles `bytes` into a {@linkcode PyValue} (lists and tuples become arrays, bytes and
 * Python 2 str become Uint8Array views into `bytes`).
 *
 * @param bytes the whole pickle stream (e.g. a `.bin` file read into memory)
 */
export function readPickle(bytes: Uint8Array): PyValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  let pos = 0;
  let stack: PyValue[] = [];
  const metastack: PyValue[][] = [];
  const memo = new Map<number, PyValue>();
  let op = 0; // offset of the opcode being executed, for errors

  const need = (n: number): number => {
    if (pos + n > end) {
      throw new PickleError(
        `truncated pickle: ${opcodeName(bytes[op])} needs ${n} bytes but the stream ends ` +
          `at ${end}; the file is incomplete, copy or download it again`,
        op,
      );
    }
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => bytes[need(1)];
  const u16 = () => view.getUint16(need(2), true);
  const i32 = () => view.getInt32(need(4), true);
  const u32 = () => view.getUint32(need(4), true);
  const u64 = (): number => {
    const v = view.getBigUint64(need(8), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new PickleError("length beyond 2^53", op);
    return Number(v);
  };
  const raw = (n: number) => bytes.subarray(need(n), pos);
  const line = (): string => {
    const start = pos;
    while (pos < end && bytes[pos] !== 0x0a) pos++;
    if (pos >= end) throw new PickleError("truncated pickle: GLOBAL line without newline", op);
    return utf8.decode(bytes.subarray(start, pos++));
  };
  const pop = (): PyValue => {
    if (stack.length === 0) {
      throw new PickleError(`${opcodeName(bytes[op])} on an empty stack: corrupt pickle`, op);
    }
    return stack.pop()!;
  };
  const popMark = (): PyValue[] => {
    const items = stack;
    const prev = metastack.pop();
    if (prev === undefined) {
      throw new PickleError(`${opcodeName(bytes[op])} without a MARK: corrupt pickle`, op);
    }
    stack = prev;
    return items;
  };
  const top = (): PyValue => {
    if (stack.length === 0) throw new PickleError("empty stack: corrupt pickle", op);
    return stack[stack.length - 1];
  };
  const list = (v: PyValue): PyValue[] => {
    if (!Array.isArray(v)) {
      throw new PickleError(`${opcodeName(bytes[op])} onto ${describe(v)}, not a list`, op);
    }
    return v;
  };
  const get = (i: number): PyValue => {
    if (!memo.has(i)) throw new PickleError(`memo key ${i} was never stored: corrupt pickle`, op);
    return memo.get(i)!;
  };
  const put = (i: number) => memo.set(i, top());

  while (true) {
    if (pos >= end) {
      throw new PickleError("pickle ended without STOP: the file is truncated", pos);
    }
    op = pos;
    const code = bytes[pos++];
    switch (code) {
      case OP.PROTO: {
        const p = u8();
        if (p > MAX_PICKLE_PROTOCOL) {
          throw new PickleError(
            `pickle protocol ${p} is newer than this reader (protocols 2-${MAX_PICKLE_PROTOCOL}); ` +
              "re-save the file with protocol=4",
            op,
          );
        }
        break;
      }
      case OP.FRAME:
        u64(); // frames only group opcodes; the whole stream is in memory
        break;
      case OP.STOP:
        if (stack.length !== 1 || metastack.length !== 0) {
          throw new PickleError(`STOP with ${stack.length} values on the stack`, op);
        }
        return stack[0];
      case OP.MARK:
        metastack.push(stack);
        stack = [];
        break;
      case OP.EMPTY_LIST:
      case OP.EMPTY_TUPLE:
        stack.push([]);
        break;
      case OP.APPEND: {
        const v = pop();
        list(top()).push(v);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        const l = list(top());
        for (const v of items) l.push(v);
        break;
      }
      case OP.TUPLE: {
        const items = popMark(); // (not stack.push(popMark()): popMark replaces `stack`)
        stack.push(items);
        break;
      }
      case OP.TUPLE1:
        stack.push([pop()]);
        break;
      case OP.TUPLE2: {
        const b = pop(), a = pop();
        stack.push([a, b]);
        break;
      }
      case OP.TUPLE3: {
        const c = pop(), b = pop(), a = pop();
        stack.push([a, b, c]);
        break;
      }
      case OP.BINPUT:
        put(u8());
        break;
      case OP.LONG_BINPUT:
        put(u32());
        break;
      case OP.MEMOIZE:
        put(memo.size);
        break;
      case OP.BINGET:
        stack.push(get(u8()));
        break;
      case OP.LONG_BINGET:
        stack.push(get(u32()));
        break;
      case OP.SHORT_BINBYTES:
      case OP.SHORT_BINSTRING:
        stack.push(raw(u8()));
        break;
      case OP.BINBYTES:
        stack.push(raw(u32()));
        break;
      case OP.BINSTRING: {
        const n = i32();
        if (n < 0) throw new PickleError("BINSTRING with a negative length", op);
        stack.push(raw(n));
        break;
      }
      case OP.BINBYTES8:
      case OP.BYTEARRAY8:
        stack.push(raw(u64()));
        break;
      case OP.SHORT_BINUNICODE:
        stack.push(utf8.decode(raw(u8())));
        break;
      case OP.BINUNICODE:
        stack.push(utf8.decode(raw(u32())));
        break;
      case OP.BINUNICODE8:
        stack.push(utf8.decode(raw(u64())));
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.BININT:
        stack.push(i32());
        break;
      case OP.BININT1:
        stack.push(u8());
        break;
      case OP.BININT2:
        stack.push(u16());
        break;
      case OP.NONE:
        stack.push(null);
        break;
      case OP.GLOBAL: {
        const module = line();
        stack.push(new PyGlobal(module, line()));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop(), module = pop();
        if (typeof name !== "string" || typeof module !== "string") {
          throw new PickleError("STACK_GLOBAL needs two strings", op);
        }
        stack.push(new PyGlobal(module, name));
        break;
      }
      case OP.REDUCE: {
        const args = pop(), fn = pop();
        stack.push(reduceGlobal(fn, args, op));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        buildObject(top(), state, op);
        break;
      }
      default:
        throw new UnsupportedOpcodeError(code, opcodeName(code), op);
    }
  }
}
