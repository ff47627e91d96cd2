#!/usr/bin/python3
"""TensorBoard event files for lr-import, written byte by byte.

TensorFlow is not needed (nor installable here): the files are written from
the documented layout, the same one man/lr-import.1 describes.

A file is a sequence of TFRecords:

    uint64 length (little-endian)
    uint32 masked_crc32c(the 8 length bytes)
    bytes  data[length]            an Event protobuf
    uint32 masked_crc32c(data)

masked_crc32c(x) = ((c >> 15 | c << 17) + 0xa282ead8) mod 2**32 with
c = CRC-32C (Castagnoli, reflected polynomial 0x82f63b78) of x
(tensorflow/core/lib/hash/crc32c.h, tsl/lib/io/record_writer.cc).

Protobuf wire format: every field is a varint key (field_number << 3 |
wire_type) then its value: type 0 a varint, 1 eight little-endian bytes,
2 a varint length and that many bytes, 5 four little-endian bytes.  The
messages and fields used (tensorflow/core/util/event.proto,
core/framework/summary.proto, tensor.proto, tensor_shape.proto):

    Event    wall_time=1 double, step=2 int64, file_version=3 string,
             summary=5 Summary, log_message=6, session_log=7
    Summary  value=1 repeated Value
    Value    tag=1 string, simple_value=2 float, image=4, histo=5,
             tensor=8 TensorProto, metadata=9 SummaryMetadata
    SummaryMetadata  plugin_data=1 { plugin_name=1 string, content=2 }
    TensorProto  dtype=1 (DT_FLOAT 1, DT_DOUBLE 2, DT_INT32 3, DT_STRING 7,
             DT_INT64 9, DT_HALF 19), tensor_shape=2 { dim=2 { size=1 } },
             tensor_content=4 bytes, float_val=5, double_val=6, int_val=7,
             string_val=8, int64_val=10, half_val=13 (repeated; packed as
             one length-delimited field, or one field per element)

The expected tables are computed here from the values written: a float32
value is read back as a double, as TensorBoard shows it, and printed with
repr.  Writes tests/data/import/tf*.tfevents, tf*-long.csv, tf*-wide.csv
and tf-errors.txt (the offsets of the broken records).  Run from the top of
the source tree (tests/golden/regen.sh does).
"""
import os
import struct

OUT = os.path.join("tests", "data", "import")


def crc32c(data):
    """CRC-32C, bit by bit from the polynomial (no table to get wrong)."""
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283  # the standard check value


def masked_crc(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def record(data):
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc(length)) + data +
            struct.pack("<I", masked_crc(data)))


def varint(n):
    n &= (1 << 64) - 1          # negative int64: ten bytes, two's complement
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wire):
    return varint(field << 3 | wire)


def f_varint(field, n):
    return key(field, 0) + varint(n)


def f_double(field, x):
    return key(field, 1) + struct.pack("<d", x)


def f_float(field, x):
    return key(field, 5) + struct.pack("<f", x)


def f_bytes(field, b):
    if isinstance(b, str):
        b = b.encode()
    return key(field, 2) + varint(len(b)) + b


def f32(x):
    """What a float32 field holds, as a double."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def event(step, wall_time, values=None, extra=b""):
    data = f_double(1, wall_time) + f_varint(2, step) + extra
    if values is not None:
        data += f_bytes(5, b"".join(f_bytes(1, v) for v in values))
    return data


def metadata(plugin):
    return f_bytes(9, f_bytes(1, f_bytes(1, plugin) + f_bytes(2, b"")))


def simple(tag, x):
    return f_bytes(1, tag) + f_float(2, x)


def shape(*dims):
    return f_bytes(2, b"".join(f_bytes(2, f_varint(1, d)) for d in dims))


def tensor_value(tag, tensor, plugin=None):
    v = f_bytes(1, tag) + f_bytes(8, tensor)
    if plugin is not None:
        v += metadata(plugin)
    return v


def half_bits(x):
    return struct.unpack("<H", struct.pack("<e", x))[0]


def fmt(x):
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    return repr(float(x))


def tf1_file():
    """TF1: simple_value scalars, an image and a histogram to skip."""
    recs = [record(event(0, 1700000000.0, extra=f_bytes(3, "brain.Event:2")))]
    rows = []
    for step in range(12):
        wall = 1700000000.0 + 0.5 * (step + 1)
        loss = 2.5 / (1 + step) + 0.01 * step
        lr = 1e-7 * (10 ** (step / 1.5))
        values = [simple("loss", loss), simple("learning_rate", lr)]
        if step % 5 == 0:
            values.append(f_bytes(1, "images") + f_bytes(4, f_varint(1, 1) +
                          f_varint(2, 1) + f_bytes(4, b"\x89PNG")))
            values.append(f_bytes(1, "weights") + f_bytes(5, f_double(1, 0) +
                          f_double(2, 1) + f_double(3, 4)))
        recs.append(record(event(step, wall, values)))
        rows.append((step, wall, "loss", f32(loss)))
        rows.append((step, wall, "learning_rate", f32(lr)))
    # A log message and a step far past 2**32 (a long varint).
    recs.append(record(event(12, 1700000010.0, extra=f_bytes(6, f_varint(1, 20)
                + f_bytes(2, "checkpoint saved")))))
    big = 5 * 2 ** 40 + 3
    recs.append(record(event(big, 1700000011.25, [simple("loss", 0.125)])))
    rows.append((big, 1700000011.25, "loss", 0.125))
    return b"".join(recs), rows


def tf2_file():
    """TF2: tensor scalars in every encoding, metadata on first use only."""
    recs = [record(event(0, 1700000100.0, extra=f_bytes(3, "brain.Event:2")))]
    rows = []
    for step in range(16):
        wall = 1700000100.0 + 0.25 * step
        loss = 3.0 * 0.8 ** step + 0.05
        lr = 1e-6 * 2 ** step
        enc = step % 4
        if enc == 0:            # float_val, packed
            t = f_varint(1, 1) + shape() + f_bytes(5, struct.pack("<f", loss))
        elif enc == 1:          # float_val, one field per element
            t = f_varint(1, 1) + shape() + f_float(5, loss)
        elif enc == 2:          # tensor_content
            t = f_varint(1, 1) + shape() + f_bytes(4, struct.pack("<f", loss))
        else:                   # no shape field at all: rank 0 too
            t = f_varint(1, 1) + f_bytes(5, struct.pack("<f", loss))
        values = [tensor_value("epoch_loss", t,
                               "scalars" if step == 0 else None)]
        rows.append((step, wall, "epoch_loss", f32(loss)))
        if step % 2 == 0:       # a double: double_val or tensor_content
            t = f_varint(1, 2) + shape() + (
                f_bytes(6, struct.pack("<d", lr)) if step % 4 == 0 else
                f_bytes(4, struct.pack("<d", lr)))
        else:                   # double_val, unpacked
            t = f_varint(1, 2) + shape() + f_double(6, lr)
        values.append(tensor_value("learning_rate", t,
                                   "scalars" if step == 0 else None))
        rows.append((step, wall, "learning_rate", lr))
        if step % 5 == 0:
            # int64 and int32 scalars, and a half.
            values.append(tensor_value("tokens", f_varint(1, 9) + shape() +
                          f_bytes(10, varint(4096 * (step + 1))), "scalars"))
            rows.append((step, wall, "tokens", float(4096 * (step + 1))))
            values.append(tensor_value("batch", f_varint(1, 3) + shape() +
                          f_varint(7, step - 3), "scalars"))
            rows.append((step, wall, "batch", float(step - 3)))
            h = 0.1 * (step + 1)
            values.append(tensor_value("grad_norm_fp16", f_varint(1, 19) +
                          shape() + f_bytes(13, varint(half_bits(h))),
                          "scalars"))
            rows.append((step, wall, "grad_norm_fp16",
                         struct.unpack("<e", struct.pack("<e", h))[0]))
            # A histogram (rank 2) and a text summary (a string): skipped.
            hist = f_varint(1, 2) + shape(2, 3) + f_bytes(
                4, struct.pack("<6d", 0, 1, 2, 1, 2, 3))
            values.append(tensor_value("weights", hist, "histograms"))
            text = f_varint(1, 7) + shape() + f_bytes(8, "step %d" % step)
            values.append(tensor_value("notes", text, "text"))
        recs.append(record(event(step, wall, values)))
    # A one-element rank-1 vector is not a scalar: skipped.
    vec = f_varint(1, 1) + shape(1) + f_bytes(5, struct.pack("<f", 9.0))
    recs.append(record(event(16, 1700000104.0, [tensor_value("vector", vec,
                                                              "scalars")])))
    # NaN and infinity come through as they are.
    recs.append(record(event(17, 1700000104.25, [
        simple("epoch_loss", float("nan")),
        simple("learning_rate", float("inf"))])))
    rows.append((17, 1700000104.25, "epoch_loss", float("nan")))
    rows.append((17, 1700000104.25, "learning_rate", float("inf")))
    return b"".join(recs), rows


def write_tables(name, rows):
    with open(os.path.join(OUT, name + "-long.csv"), "w") as f:
        f.write("step,wall_time,tag,value\n")
        for step, wall, tag, value in rows:
            f.write("%d,%s,%s,%s\n" % (step, fmt(wall), tag, fmt(value)))
    tags, by_step = [], {}
    for step, wall, tag, value in rows:
        if tag not in tags:
            tags.append(tag)
        cell = by_step.setdefault(step, {})
        cell["wall_time"] = wall          # the last event of a step wins
        cell[tag] = value
    with open(os.path.join(OUT, name + "-wide.csv"), "w") as f:
        f.write(",".join(["step", "wall_time"] + tags) + "\n")
        for step, cell in by_step.items():
            f.write(",".join([str(step), fmt(cell["wall_time"])] +
                             [fmt(cell[t]) if t in cell else ""
                              for t in tags]) + "\n")


def record_offsets(data):
    offsets, pos = [], 0
    while pos < len(data):
        offsets.append(pos)
        (n,) = struct.unpack("<Q", data[pos:pos + 8])
        pos += n + 16
    return offsets


def main():
    os.makedirs(OUT, exist_ok=True)
    tf1, rows1 = tf1_file()
    tf2, rows2 = tf2_file()
    for name, data, rows in (("tf1", tf1, rows1), ("tf2", tf2, rows2)):
        with open(os.path.join(OUT, name + ".tfevents"), "wb") as f:
            f.write(data)
        write_tables(name, rows)
    offs = record_offsets(tf1)
    errors = []
    # A flipped bit in the data of the fourth record.
    bad = bytearray(tf1)
    bad[offs[3] + 12 + 5] ^= 0x10
    errors.append(("tf-data-crc", bytes(bad), offs[3],
                   "corrupt record: the data checksum does not match"))
    # A flipped bit in the length of the third record.
    bad = bytearray(tf1)
    bad[offs[2]] ^= 0x01
    errors.append(("tf-length-crc", bytes(bad), offs[2],
                   "corrupt record: the length's checksum does not match"))
    # The last record cut short, as by a killed writer.
    cut = offs[-1] + 30
    errors.append(("tf-truncated", tf1[:cut], offs[-1],
                   "truncated record (30 of %d bytes)" %
                   (len(tf1) - offs[-1])))
    # Checksums right, but the data is not a protobuf (field number 0).
    junk = record(b"\x00\x01\x02\x03")
    errors.append(("tf-not-protobuf", tf1[:offs[2]] + junk, offs[2],
                   "the record is not an Event protobuf"))
    # A length field that goes past the end of the record.
    junk = record(event(1, 1.0) + b"\x2a\x7f\x0a")
    errors.append(("tf-short-field", tf1[:offs[1]] + junk, offs[1],
                   "the record is not an Event protobuf"))
    with open(os.path.join(OUT, "tf-errors.txt"), "w") as f:
        for name, data, off, what in errors:
            with open(os.path.join(OUT, name + ".tfevents"), "wb") as g:
                g.write(data)
            f.write("%s|offset %d: %s\n" % (name, off, what))


if __name__ == "__main__":
    main()
