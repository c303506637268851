import { Transform, type TransformCallback } from 'node:stream';

/** What inspection found in an image's bytes. */
export interface Inspection {
  /** The detected disk format (`raw` when no known header was found). */
  format: 'qcow2' | 'vmdk' | 'vhd' | 'vhdx' | 'vdi' | 'iso' | 'raw';
  /** Bytes the guest sees, when the format tells it. */
  virtualSize: number | null;
  /** Reasons the image is unsafe to hand to a hypervisor (backing files, external data). */
  unsafe: string[];
}

/** Bytes kept from the start: every header we read lies within them (ISO's descriptor at 32 KiB). */
const HEAD_BYTES = 64 * 1024;

const ascii = (b: Buffer, at: number, len: number) =>
  b.length >= at + len ? b.toString('latin1', at, at + len) : '';
const u64be = (b: Buffer, at: number) => (b.length >= at + 8 ? Number(b.readBigUInt64BE(at)) : 0);
const u64le = (b: Buffer, at: number) => (b.length >= at + 8 ? Number(b.readBigUInt64LE(at)) : 0);

/** Reads the format of an image from its first bytes, its last 512 bytes and its size. */
export function inspect(head: Buffer, tail: Buffer, size: number): Inspection {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x514649fb) {
    const unsafe: string[] = [];
    const version = head.readUInt32BE(4);
    if (u64be(head, 8) !== 0) unsafe.push('qcow2 image has a backing file');
    // Version 3 headers carry incompatible feature bits; bit 2 is an external data file.
    if (version >= 3 && (u64be(head, 72) & 0b100) !== 0) unsafe.push('qcow2 image has an external data file');
    return { format: 'qcow2', virtualSize: u64be(head, 24), unsafe };
  }
  if (ascii(head, 0, 4) === 'KDMV') return { format: 'vmdk', virtualSize: u64le(head, 12) * 512, unsafe: [] };
  if (ascii(head, 0, 21) === '# Disk DescriptorFile') {
    // A text descriptor points at extents in other files: never safe to accept on its own.
    return { format: 'vmdk', virtualSize: null, unsafe: ['vmdk descriptor refers to external extent files'] };
  }
  if (ascii(head, 0, 8) === 'vhdxfile') return { format: 'vhdx', virtualSize: null, unsafe: [] };
  if (ascii(head, 0, 8) === 'conectix') return { format: 'vhd', virtualSize: u64be(head, 48), unsafe: [] };
  if (ascii(tail, 0, 8) === 'conectix' && tail.length === 512)
    return { format: 'vhd', virtualSize: u64be(tail, 48), unsafe: [] };
  if (head.length >= 0x44 && head.readUInt32LE(0x40) === 0xbeda107f)
    return { format: 'vdi', virtualSize: u64le(head, 0x170), unsafe: [] };
  if (ascii(head, 0x8001, 5) === 'CD001') {
    const blocks = head.readUInt32LE(0x8050);
    const blockSize = head.readUInt16LE(0x8080);
    return { format: 'iso', virtualSize: blocks * blockSize, unsafe: [] };
  }
  return { format: 'raw', virtualSize: size, unsafe: [] };
}

/** Formats whose content we check against the declared `disk_format`. */
const INSPECTED = new Set(['qcow2', 'vmdk', 'vhd', 'vhdx', 'vdi', 'iso', 'raw']);

/**
 * Why the bytes cannot be accepted as the declared disk format, or undefined when they can:
 * a header of another format (a qcow2 declared as raw is the classic attack), or an unsafe image.
 * Raw images may carry an ISO 9660 filesystem.
 */
export function mismatch(declared: string, found: Inspection): string | undefined {
  if (found.unsafe.length) return found.unsafe.join('; ');
  if (!INSPECTED.has(declared)) return undefined;
  if (declared === found.format) return undefined;
  if (declared === 'raw' && found.format === 'iso') return undefined;
  return `image content is ${found.format}, not the declared disk_format ${declared}`;
}

/** A pass-through stream that keeps what inspection needs while the data flows to the store. */
export class InspectingStream extends Transform {
  private head = Buffer.alloc(0);
  private tail = Buffer.alloc(0);
  private total = 0;

  /** `highWaterMark`: how much it buffers (an upload's stages buffer alike). */
  constructor(highWaterMark?: number) {
    super({ highWaterMark });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.head.length < HEAD_BYTES)
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    // Keep only the last 512 bytes (a fixed VHD's footer) without copying whole chunks.
    this.tail =
      chunk.length >= 512
        ? Buffer.from(chunk.subarray(chunk.length - 512))
        : Buffer.concat([this.tail, chunk]).subarray(-512);
    this.total += chunk.length;
    done(null, chunk);
  }

  /** The inspection of everything that passed. */
  result(): Inspection {
    return inspect(this.head, this.tail, this.total);
  }
}
