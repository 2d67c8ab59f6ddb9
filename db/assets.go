package db

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// putChunk is how many assets one writer handles per step.
const putChunk = 2048

// PutAssets upserts assets (summary and ID record with the document, in one
// transaction each), keeping FirstSeen of assets already stored. A new asset
// without FirstSeen gets its LastSeen. Writers run in parallel over chunks
// of assets.
func (s *Store) PutAssets(assets []asset.Asset) error {
	if err := s.writable(); err != nil {
		return err
	}
	return s.putAssets(assets, nil)
}

// putAssets is PutAssets; a stamp keeps the replaced documents (history.go).
func (s *Store) putAssets(assets []asset.Asset, stamp *Stamp) error {
	for i := range assets {
		if err := checkIdentity(&assets[i]); err != nil {
			return fmt.Errorf("put assets: %w", err)
		}
	}
	if len(assets) == 0 {
		return nil
	}
	fresh, err := s.freshPut(assets)
	if err != nil {
		return fmt.Errorf("put assets: %w", err)
	}
	markNew := false
	if stamp != nil {
		// A first ingest into an empty store marks no new assets: no
		// earlier state is there to tell apart, unless history was kept.
		before, err := s.beginHistory(stamp)
		if err != nil {
			return fmt.Errorf("put assets: %w", err)
		}
		markNew = !fresh || before
	}
	workers := min(runtime.GOMAXPROCS(0), (len(assets)+putChunk-1)/putChunk)
	chunks := make(chan []asset.Asset)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &chunkWriter{fresh: fresh, stamp: stamp, markNew: markNew}
			for c := range chunks {
				if err := s.putChunk(c, w); err != nil {
					errs <- err
					for range chunks { // drain so the feeder finishes
					}
					return
				}
			}
		}()
	}
	for i := 0; i < len(assets); i += putChunk {
		chunks <- assets[i:min(i+putChunk, len(assets))]
	}
	close(chunks)
	wg.Wait()
	close(errs)
	if err := errors.Join(collect(errs)...); err != nil {
		return fmt.Errorf("put assets: %w", err)
	}
	return s.securePermsSoon()
}

// freshPut reports whether none of assets can already be stored: the store
// holds no asset at all and assets holds no ID twice. The first ingest into
// a new store then skips reading the ID index for every asset. (Concurrent
// puts of the same ID are not ordered either way, fresh or not.)
func (s *Store) freshPut(assets []asset.Asset) (bool, error) {
	var stored bool
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = []byte(pfxIndex)
		it := txn.NewIterator(opts)
		defer it.Close()
		it.Rewind()
		stored = it.Valid()
		return nil
	})
	if err != nil || stored {
		return false, err
	}
	seen := make(map[string]struct{}, len(assets))
	for i := range assets {
		if _, dup := seen[assets[i].ID]; dup {
			return false, nil
		}
		seen[assets[i].ID] = struct{}{}
	}
	return true, nil
}

func collect(errs <-chan error) []error {
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

// chunkWriter holds the scratch space of one writer: the fast hasher,
// encoders reused across assets and chunks, and an arena for keys and
// values. fresh means no asset can be stored already (see freshPut): the
// ID records are not read.
type chunkWriter struct {
	h             hasher
	sum, doc, idx enc
	key           []byte
	pairs         []asset.TagPair // an asset's tags, to pack
	tags          []byte          // their packed form
	mem           arena
	fresh         bool
	stamp         *Stamp // set: keep replaced documents as versions
	markNew       bool   // with stamp: mark assets that did not exist
	hist          histEntries
}

// encodeSummary encodes a's summary into w.sum (what encodeSummary writes
// for a.Summary()) with the tags packed in the writer's scratch space, and
// returns the document hash.
func (w *chunkWriter) encodeSummary(a *asset.Asset) uint64 {
	sum := asset.Summary{ID: a.ID, Type: a.Type, Name: a.Name, Account: a.Account, Region: a.Region,
		Source: a.Source, FirstSeen: asset.InstantOf(a.FirstSeen), LastSeen: asset.InstantOf(a.LastSeen), Hash: w.h.hashDoc(a.Attrs, a.Tags, a.Name)}
	w.pairs = w.pairs[:0]
	for k, v := range a.Tags {
		w.pairs = append(w.pairs, asset.TagPair{Key: k, Value: v})
	}
	w.tags = asset.AppendTags(w.tags[:0], w.pairs)
	clear(w.pairs) // drop the references to a's strings
	w.sum.b = encodeSummaryTags(w.sum.b, &sum, len(w.pairs), w.tags)
	return sum.Hash
}

// putChunk writes one chunk of assets through one batch. Once it has
// committed, Badger holds no reference to the arena's keys and values, so
// the writer's next chunk reuses its blocks.
func (s *Store) putChunk(assets []asset.Asset, w *chunkWriter) error {
	b := newBatch(s.st.bdb)
	defer b.discard()
	for i := range assets {
		if err := w.putOne(b, &assets[i]); err != nil {
			return err
		}
	}
	if err := b.commit(); err != nil {
		return err
	}
	w.mem.reset()
	return nil
}

// putOne encodes one asset, learns what is stored of it and writes its
// summary and ID record (index fields and document) together. When the
// stored document has the same content (hash, source and location), only
// the summary is written: a rescan then rewrites no documents.
func (w *chunkWriter) putOne(b *batch, a *asset.Asset) error {
	hash := w.encodeSummary(a)
	ie := indexEntry{firstSeen: timeNanos(a.FirstSeen), hash: hash,
		account: a.Account, typ: a.Type, region: a.Region, source: a.Source}
	if a.FirstSeen.IsZero() {
		ie.firstSeen = timeNanos(a.LastSeen)
	}
	ik := w.mem.keyOf(&w.key, pfxIndex, a.ID)
	sk := w.mem.keyOf(&w.key, pfxSummary, a.Type, a.Account, a.Region, a.ID)
	// Reading before reserving is safe: if reserve commits, the new
	// transaction sees everything the old one wrote.
	var old indexEntry
	var item *badger.Item
	found, err := false, error(nil)
	if !w.fresh {
		if old, item, err = readIndexItem(b.txn, ik); err != nil {
			return err
		}
		found = item != nil
	}
	if found && old.firstSeen != zeroTime {
		ie.firstSeen = old.firstSeen
	}
	moved := found && (old.account != a.Account || old.typ != a.Type || old.region != a.Region)
	unchanged := found && !moved && old.hash == ie.hash && old.source == ie.source && old.firstSeen == ie.firstSeen

	patchFirstSeen(w.sum.b, ie.firstSeen)
	n, size := 1, b.entrySize(sk, w.sum.b)
	var oldSK []byte
	if !unchanged {
		if w.doc.b, err = encodeDoc(w.doc.b, a); err != nil {
			return err
		}
		patchFirstSeen(w.doc.b, ie.firstSeen)
		w.idx.b = append(encodeIndex(w.idx.b, assetV2, ie), w.doc.b...)
		n, size = n+1, size+b.entrySize(ik, w.idx.b)
	}
	if moved {
		oldSK = summaryKey(old.account, old.typ, old.region, a.ID)
		n, size = n+1, size+b.entrySize(oldSK, nil)
	}
	if err := w.version(a.ID, item, unchanged); err != nil {
		return err
	}
	n, size = n+w.hist.n(), size+w.hist.size(b)
	if err := b.reserve(n, size); err != nil {
		return err
	}
	if err := w.hist.write(b); err != nil {
		return err
	}
	if moved {
		if err := b.del(oldSK); err != nil {
			return err
		}
	}
	if err := b.set(sk, w.mem.copyOf(w.sum.b)); err != nil {
		return err
	}
	if unchanged {
		return nil // the ID record stays as it is
	}
	return b.set(ik, w.mem.copyOf(w.idx.b))
}

// DeleteAssets removes assets and their summaries.
func (s *Store) DeleteAssets(ids []string) error {
	if err := s.writable(); err != nil {
		return err
	}
	return s.deleteAssets(ids, nil)
}

// deleteAssets is DeleteAssets; a stamp keeps the deleted documents.
func (s *Store) deleteAssets(ids []string, stamp *Stamp) error {
	b := newBatch(s.st.bdb)
	defer b.discard()
	for _, id := range ids {
		ie, found, err := readIndex(b.txn, indexKey(id))
		if err != nil {
			return fmt.Errorf("delete asset %s: %w", asset.Clean(id), err)
		}
		if !found {
			continue
		}
		var h histEntries
		if stamp != nil {
			if h, err = keepDeleted(b.txn, stamp, id); err != nil {
				return fmt.Errorf("delete asset %s: %w", asset.Clean(id), err)
			}
		}
		if err := b.reserve(4+h.n(), h.size(b)+4*int64(len(id)+64)); err != nil {
			return fmt.Errorf("delete assets: %w", err)
		}
		if err := h.write(b); err != nil {
			return fmt.Errorf("delete asset %s: %w", asset.Clean(id), err)
		}
		if err := deleteAssetKeys(b, id, ie); err != nil {
			return fmt.Errorf("delete asset %s: %w", asset.Clean(id), err)
		}
	}
	if err := b.commit(); err != nil {
		return fmt.Errorf("delete assets: %w", err)
	}
	if err := s.dropEvalStates(ids); err != nil {
		return fmt.Errorf("delete assets: %w", err)
	}
	return nil
}

// deleteAssetKeys removes the summary and ID record of one asset; the
// caller reserved room, and drops its evaluation mark after.
func deleteAssetKeys(b *batch, id string, ie indexEntry) error {
	for _, k := range [][]byte{
		summaryKey(ie.account, ie.typ, ie.region, id),
		indexKey(id),
	} {
		if err := b.del(k); err != nil {
			return err
		}
	}
	return nil
}
