// tlogcheck checks what tsudoi-tlog wrote with Go's own implementation of
// signed notes and RFC 6962 trees (golang.org/x/mod/sumdb/note and
// sumdb/tlog), which no one on the tsudoi project wrote.
//
// Build offline with Debian's packages:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o tlogcheck main.go
//
// Usage: tlogcheck DIR, where DIR holds
//
//	vkey            the verifier key text
//	checkpoint.old  a signed checkpoint (the ward's)
//	checkpoint.new  a newer signed checkpoint
//	proof.json      {"old_size": n, "new_size": m, "proof": [base64...]}
//	entries         the log's entries, one per line, in hexadecimal
//	leaves          tsudoi-tlog's leaf hashes, one per line, in base64
//	inclusion.json  [{"index": i, "proof": [base64...]}...] in the new tree
//
// The last three are left out for a log whose entries were erased (the
// certificate of erasure): then only the checkpoints and the proof are checked.
//
// It prints what it checked and exits 0, or names the first failure and
// exits 1.
package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type checkpoint struct {
	origin string
	size   int64
	hash   tlog.Hash
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlogcheck: "+format+"\n", args...)
	os.Exit(1)
}

func read(dir, name string) []byte {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		fail("%v", err)
	}
	return b
}

func openCheckpoint(dir, name string, v note.Verifier) checkpoint {
	n, err := note.Open(read(dir, name), note.VerifierList(v))
	if err != nil {
		fail("%s: note.Open: %v", name, err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) < 3 {
		fail("%s: fewer than three lines", name)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		fail("%s: bad tree size %q", name, lines[1])
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		fail("%s: bad root hash: %v", name, err)
	}
	if lines[0] != v.Name() {
		fail("%s: origin %q is not the key name %q", name, lines[0], v.Name())
	}
	return checkpoint{lines[0], size, h}
}

func parseHashes(what string, list []string) []tlog.Hash {
	var out []tlog.Hash
	for i, s := range list {
		h, err := tlog.ParseHash(s)
		if err != nil {
			fail("%s: hash %d: %v", what, i, err)
		}
		out = append(out, h)
	}
	return out
}

// memHashes is a tlog.HashReader over hashes kept in memory.
type memHashes []tlog.Hash

func (m memHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m)) {
			return nil, fmt.Errorf("no stored hash %d", x)
		}
		out[i] = m[x]
	}
	return out, nil
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: tlogcheck DIR")
	}
	dir := os.Args[1]

	v, err := note.NewVerifier(strings.TrimSpace(string(read(dir, "vkey"))))
	if err != nil {
		fail("note.NewVerifier: %v", err)
	}
	old := openCheckpoint(dir, "checkpoint.old", v)
	cur := openCheckpoint(dir, "checkpoint.new", v)

	// The consistency proof, checked, and compared with Go's own.
	var pf struct {
		OldSize *int64   `json:"old_size"`
		NewSize *int64   `json:"new_size"`
		Proof   []string `json:"proof"`
	}
	dec := json.NewDecoder(bytes.NewReader(read(dir, "proof.json")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pf); err != nil || pf.OldSize == nil || pf.NewSize == nil || pf.Proof == nil {
		fail("proof.json: not {\"old_size\", \"new_size\", \"proof\"}: %v", err)
	}
	if *pf.OldSize != old.size || *pf.NewSize != cur.size {
		fail("proof.json: sizes %d → %d, checkpoints %d → %d", *pf.OldSize, *pf.NewSize, old.size, cur.size)
	}
	proof := tlog.TreeProof(parseHashes("proof.json", pf.Proof))
	if err := tlog.CheckTree(proof, cur.size, cur.hash, old.size, old.hash); err != nil {
		fail("tlog.CheckTree %d → %d: %v", old.size, cur.size, err)
	}

	if _, err := os.Stat(filepath.Join(dir, "entries")); os.IsNotExist(err) {
		// Only checkpoints and the proof: an erased log keeps no entries.
		fmt.Printf("ok: %s+%08x; checkpoints %d and %d; consistency proof of %d hashes\n",
			v.Name(), v.KeyHash(), old.size, cur.size, len(proof))
		return
	}

	// The entries: Go's leaf hashes are ours, and Go's tree heads are the
	// checkpoints'.
	var stored memHashes
	var records []tlog.Hash
	ours := strings.Split(strings.TrimSuffix(string(read(dir, "leaves")), "\n"), "\n")
	lines := strings.Split(strings.TrimSuffix(string(read(dir, "entries")), "\n"), "\n")
	if len(lines) != len(ours) {
		fail("%d entries, %d leaf hashes", len(lines), len(ours))
	}
	for i, line := range lines {
		data, err := hex.DecodeString(line)
		if err != nil {
			fail("entries: line %d: %v", i+1, err)
		}
		rh := tlog.RecordHash(data)
		if rh.String() != ours[i] {
			fail("leaf %d: tlog.RecordHash %s, tsudoi-tlog %s", i, rh, ours[i])
		}
		records = append(records, rh)
		hs, err := tlog.StoredHashesForRecordHash(int64(i), rh, stored)
		if err != nil {
			fail("tlog.StoredHashes: %v", err)
		}
		stored = append(stored, hs...)
	}
	if int64(len(records)) != cur.size {
		fail("%d entries, the new checkpoint says %d", len(records), cur.size)
	}
	for _, c := range []checkpoint{old, cur} {
		th, err := tlog.TreeHash(c.size, stored)
		if err != nil {
			fail("tlog.TreeHash(%d): %v", c.size, err)
		}
		if th != c.hash {
			fail("tree head at %d: Go computes %s, the checkpoint says %s", c.size, th, c.hash)
		}
	}
	if old.size >= 1 {
		goProof, err := tlog.ProveTree(cur.size, old.size, stored)
		if err != nil {
			fail("tlog.ProveTree: %v", err)
		}
		if len(goProof) != len(proof) {
			fail("Go's proof has %d hashes, ours %d", len(goProof), len(proof))
		}
		for i := range goProof {
			if goProof[i] != proof[i] {
				fail("proof hash %d: Go %s, ours %s", i, goProof[i], proof[i])
			}
		}
	}

	// Inclusion proofs in the new tree.
	var incl []struct {
		Index int64    `json:"index"`
		Proof []string `json:"proof"`
	}
	if err := json.Unmarshal(read(dir, "inclusion.json"), &incl); err != nil {
		fail("inclusion.json: %v", err)
	}
	for _, p := range incl {
		if p.Index < 0 || p.Index >= cur.size {
			fail("inclusion.json: leaf %d out of range", p.Index)
		}
		rp := tlog.RecordProof(parseHashes("inclusion.json", p.Proof))
		if err := tlog.CheckRecord(rp, cur.size, cur.hash, p.Index, records[p.Index]); err != nil {
			fail("tlog.CheckRecord leaf %d in %d: %v", p.Index, cur.size, err)
		}
	}

	fmt.Printf("ok: %s+%08x; checkpoints %d and %d; consistency proof of %d hashes; %d leaves; %d inclusion proofs\n",
		v.Name(), v.KeyHash(), old.size, cur.size, len(proof), len(records), len(incl))
}
