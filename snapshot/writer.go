package snapshot

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"io"

	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/zstd"
)

// Writer writes one snapshot: the header at once, records through zstd,
// the trailer (length and checksum of the content) at Close.
type Writer struct {
	out   io.Writer
	zw    *zstd.Encoder
	bw    *bufio.Writer // buffers records in front of the hash and the encoder
	sum   hash.Hash
	n     int64
	frame []byte
	err   error
}

// tee feeds the uncompressed content to the checksum and the encoder.
type tee struct{ w *Writer }

func (t tee) Write(p []byte) (int, error) {
	t.w.sum.Write(p)
	t.w.n += int64(len(p))
	return t.w.zw.Write(p)
}

// NewWriter writes the header to out and returns a writer for the records.
// version is the writing vigil's version, named to a reader too old for
// the format.
func NewWriter(out io.Writer, version string) (*Writer, error) {
	if len(version) > maxVersion {
		version = version[:maxVersion]
	}
	hdr := make([]byte, 0, headerFixed+len(version))
	hdr = append(hdr, magic...)
	hdr = binary.BigEndian.AppendUint32(hdr, FormatVersion)
	hdr = binary.BigEndian.AppendUint16(hdr, uint16(len(version)))
	hdr = append(hdr, version...)
	if _, err := out.Write(hdr); err != nil {
		return nil, fmt.Errorf("write snapshot header: %w", err)
	}
	zw, err := zstd.NewWriter(out, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(2))
	if err != nil {
		return nil, fmt.Errorf("start compression: %w", err)
	}
	w := &Writer{out: out, zw: zw, sum: sha256.New()}
	w.bw = bufio.NewWriterSize(tee{w}, 1<<20)
	return w, nil
}

// Raw writes one record with an already encoded payload.
func (w *Writer) Raw(k Kind, payload []byte) error {
	if w.err != nil {
		return w.err
	}
	w.frame = append(w.frame[:0], byte(k))
	w.frame = binary.AppendUvarint(w.frame, uint64(len(payload)))
	if _, err := w.bw.Write(w.frame); err != nil {
		w.err = fmt.Errorf("write snapshot: %w", err)
		return w.err
	}
	if _, err := w.bw.Write(payload); err != nil {
		w.err = fmt.Errorf("write snapshot: %w", err)
	}
	return w.err
}

// JSON writes one record whose payload is v as JSON.
func (w *Writer) JSON(k Kind, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode snapshot record: %w", err)
	}
	return w.Raw(k, raw)
}

// Close writes the end record, flushes the compressed stream and writes
// the trailer. It does not close the underlying writer.
func (w *Writer) Close() error {
	if err := w.Raw(KindEnd, nil); err != nil {
		return err
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	if err := w.zw.Close(); err != nil {
		return fmt.Errorf("finish compression: %w", err)
	}
	tr := make([]byte, 0, trailerSize)
	tr = binary.BigEndian.AppendUint64(tr, uint64(w.n))
	tr = w.sum.Sum(tr)
	tr = append(tr, endMagic...)
	if _, err := w.out.Write(tr); err != nil {
		return fmt.Errorf("write snapshot trailer: %w", err)
	}
	return nil
}
