package snapshot

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
)

// File is an opened snapshot whose framing has been checked; its content
// is checked by Verify (or by any full Read).
type File struct {
	Name    string // as given, for messages
	Format  int    // format version of the file
	Version string // vigil version that wrote it

	r        io.ReaderAt
	size     int64
	body     int64 // offset of the compressed body
	bodyLen  int64
	length   int64 // declared content length
	checksum [32]byte
	closer   io.Closer
	maxLen   int64
}

// OpenFile opens a snapshot file and checks its framing. The caller closes it.
func OpenFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open snapshot: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open snapshot %s: %w", path, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("snapshot %s is a directory", path)
	}
	sf, err := NewFile(path, f, st.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	sf.closer = f
	return sf, nil
}

// NewFile checks the framing of a snapshot held by r (size bytes): magic,
// format version, trailer, declared length. name labels errors.
func NewFile(name string, r io.ReaderAt, size int64) (*File, error) {
	f := &File{Name: name, r: r, size: size, maxLen: DefaultMaxContent}
	if size < int64(headerFixed+trailerSize) {
		return nil, fmt.Errorf("%s: %w (too short: %d bytes)", name, ErrNotSnapshot, size)
	}
	hdr := make([]byte, headerFixed)
	if _, err := r.ReadAt(hdr, 0); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if string(hdr[:len(magic)]) != magic {
		return nil, fmt.Errorf("%s: %w (wrong magic: export one with `vigil export`)", name, ErrNotSnapshot)
	}
	f.Format = int(binary.BigEndian.Uint32(hdr[len(magic):]))
	vlen := int(binary.BigEndian.Uint16(hdr[len(magic)+4:]))
	if vlen > maxVersion || int64(headerFixed+vlen+trailerSize) > size {
		return nil, fmt.Errorf("%s: %w (header names a %d-byte version)", name, ErrDamaged, vlen)
	}
	ver := make([]byte, vlen)
	if _, err := r.ReadAt(ver, int64(headerFixed)); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	f.Version = printable(ver)
	if f.Format > FormatVersion {
		return nil, fmt.Errorf("%s was written by vigil %s in snapshot format v%d; this vigil reads formats up to v%d: "+
			"open it with vigil %s or newer", name, f.Version, f.Format, FormatVersion, f.Version)
	}
	if f.Format < 1 {
		return nil, fmt.Errorf("%s: %w (format v%d does not exist)", name, ErrDamaged, f.Format)
	}
	tr := make([]byte, trailerSize)
	if _, err := r.ReadAt(tr, size-int64(trailerSize)); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if string(tr[40:]) != endMagic {
		return nil, fmt.Errorf("%s: %w (no end marker: the file is truncated or was not written to the end)", name, ErrDamaged)
	}
	f.length = int64(binary.BigEndian.Uint64(tr[:8]))
	copy(f.checksum[:], tr[8:40])
	f.body = int64(headerFixed + vlen)
	f.bodyLen = size - f.body - int64(trailerSize)
	if f.length < 0 || f.length > f.maxLen || f.length/maxRatio > f.bodyLen+1 {
		return nil, fmt.Errorf("%s: %w (declares %d bytes of content from %d compressed: refused as a decompression bomb)",
			name, ErrDamaged, f.length, f.bodyLen)
	}
	return f, nil
}

// printable keeps only printable ASCII of an untrusted header string.
func printable(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			out = append(out, c)
		}
	}
	return string(out)
}

// Close closes the file OpenFile opened.
func (f *File) Close() error {
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// Size is the file's size in bytes.
func (f *File) Size() int64 { return f.size }

// contentReader decompresses the body, capped at the declared length, and
// hashes what it yields.
type contentReader struct {
	f   *File
	zr  *zstd.Decoder
	lr  *io.LimitedReader
	sum hash.Hash
	n   int64
}

func (c *contentReader) Read(p []byte) (int, error) {
	n, err := c.lr.Read(p)
	c.sum.Write(p[:n])
	c.n += int64(n)
	if c.n > c.f.length {
		return n, fmt.Errorf("%s: %w (more content than the %d bytes declared)", c.f.Name, ErrDamaged, c.f.length)
	}
	return n, err
}

// finish drains what is left and checks length and checksum.
func (c *contentReader) finish() error {
	if _, err := io.Copy(io.Discard, c); err != nil {
		return c.f.damaged(err)
	}
	if c.n != c.f.length {
		return fmt.Errorf("%s: %w (content is %d bytes, %d declared: truncated)", c.f.Name, ErrDamaged, c.n, c.f.length)
	}
	var got [32]byte
	c.sum.Sum(got[:0])
	if !bytes.Equal(got[:], c.f.checksum[:]) {
		return fmt.Errorf("%s: %w (checksum mismatch: the file was altered or corrupted)", c.f.Name, ErrDamaged)
	}
	return nil
}

func (f *File) damaged(err error) error {
	if errors.Is(err, ErrDamaged) || errors.Is(err, ErrNotSnapshot) {
		return err
	}
	return fmt.Errorf("%s: %w (%v)", f.Name, ErrDamaged, err)
}

func (f *File) content() (*contentReader, error) {
	zr, err := zstd.NewReader(io.NewSectionReader(f.r, f.body, f.bodyLen),
		zstd.WithDecoderMaxMemory(1<<30), zstd.WithDecoderMaxWindow(64<<20), zstd.WithDecoderConcurrency(2))
	if err != nil {
		return nil, fmt.Errorf("%s: start decompression: %w", f.Name, err)
	}
	// One byte past the declared length lets Read see an overlong stream.
	return &contentReader{f: f, zr: zr, lr: &io.LimitedReader{R: zr, N: f.length + 1}, sum: sha256.New()}, nil
}

// records walks every record of the content, checking framing, and then
// length and checksum. fn sees each record's kind and payload (valid only
// during the call). A record after the end record, a missing end record or
// an unknown kind is damage.
func (f *File) records(fn func(k Kind, payload []byte) error) error {
	cr, err := f.content()
	if err != nil {
		return err
	}
	defer cr.zr.Close()
	br := bufio.NewReaderSize(cr, 1<<20)
	var buf []byte
	ended := false
	for n := 0; ; n++ {
		kb, err := br.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return f.damaged(err)
		}
		if ended {
			return fmt.Errorf("%s: %w (data after the end record)", f.Name, ErrDamaged)
		}
		size, err := binary.ReadUvarint(br)
		if err != nil {
			return f.damaged(fmt.Errorf("record %d: %w", n, err))
		}
		if size > maxRecord {
			return fmt.Errorf("%s: %w (record %d claims %d bytes)", f.Name, ErrDamaged, n, size)
		}
		if uint64(cap(buf)) < size {
			buf = make([]byte, size)
		}
		buf = buf[:size]
		if _, err := io.ReadFull(br, buf); err != nil {
			return f.damaged(fmt.Errorf("record %d: %w", n, err))
		}
		k := Kind(kb)
		if k == KindEnd {
			ended = true
			continue
		}
		if (n == 0) != (k == KindManifest) {
			return fmt.Errorf("%s: %w (record %d: the manifest must come first, once)", f.Name, ErrDamaged, n)
		}
		if err := fn(k, buf); err != nil {
			return err
		}
	}
	if !ended {
		return fmt.Errorf("%s: %w (no end record: truncated)", f.Name, ErrDamaged)
	}
	return cr.finish()
}

// Checksum is the SHA-256 of the content the trailer declares (checked by
// Verify and Read): it identifies the snapshot.
func (f *File) Checksum() [32]byte { return f.checksum }
