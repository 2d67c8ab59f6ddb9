package tui

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/vigil-sec/vigil/asset"
)

// lister is a page whose body is one of the shared lists: :export writes
// it, the mouse scrolls and clicks it.
type lister interface {
	list() *table
}

// exportMsg asks the root to write the current list (`:export csv|json FILE`).
type exportMsg struct {
	format string
	path   string
}

// parseExport reads the arguments of `:export`: a format and a file.
func parseExport(args string) (exportMsg, error) {
	f := strings.Fields(args)
	if len(f) != 2 || (f[0] != "csv" && f[0] != "json") {
		return exportMsg{}, errors.New("usage: :export csv|json FILE")
	}
	return exportMsg{format: f[0], path: f[1]}, nil
}

// exportRows copies what the list shows — every column, the rows the
// filter keeps, in the current sort — so the write can run off the UI
// goroutine. Cells are sanitised (text), as when drawn.
func (t *table) exportRows() (header []string, rows [][]string) {
	header = make([]string, len(t.cols))
	for i, c := range t.cols {
		header[i] = c.title
	}
	rows = make([][]string, t.Len())
	for pos := range rows {
		r := t.row(t.index(pos))
		out := make([]string, len(t.cols))
		for c := range out {
			if c < len(r) {
				out[c] = text(r[c])
			}
		}
		rows[pos] = out
	}
	return header, rows
}

// encodeExport renders the rows as CSV (formula-safe cells, asset.CSVCell)
// or as a JSON array of objects keyed by the lower-cased column titles.
func encodeExport(format string, header []string, rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	if format == "json" {
		keys := make([]string, len(header))
		for i, h := range header {
			keys[i] = strings.ToLower(h)
		}
		objs := make([]map[string]string, len(rows))
		for i, r := range rows {
			o := make(map[string]string, len(keys))
			for c, k := range keys {
				o[k] = r[c]
			}
			objs[i] = o
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(objs); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	w := csv.NewWriter(&buf)
	cells := make([]string, len(header))
	for _, r := range append([][]string{header}, rows...) {
		for c := range r {
			cells[c] = asset.CSVCell(r[c])
		}
		_ = w.Write(cells) // a bytes.Buffer does not fail; Flush reports any error
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// export writes the top page's list to the file named, readable by the
// operator alone (0600), as a task with a toast.
func (m *Model) export(msg exportMsg) tea.Cmd {
	l, ok := m.top().(lister)
	if !ok || l.list() == nil {
		return m.tasks.toast(false, "this page has no list to export")
	}
	header, rows := l.list().exportRows()
	return func() tea.Msg {
		b, err := encodeExport(msg.format, header, rows)
		if err == nil {
			err = writePrivate(msg.path, b)
		}
		if err != nil {
			return toastMsg{ok: false, text: "export failed: " + err.Error()}
		}
		return toastMsg{ok: true, text: fmt.Sprintf("exported %d rows to %s", len(rows), msg.path)}
	}
}

// writePrivate writes b to path with mode 0600, also when the file exists
// with a wider mode.
func writePrivate(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w (pick a writable path)", path, err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("make %s private: %w", path, err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
