package sqlstore

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/clavebot/clavebot/internal/testenv"
)

// benchCitizens is how many citizens one benchmark iteration imports.
const benchCitizens = 50_000

func BenchmarkImportPostgres(b *testing.B) {
	benchmarkImport(b, testenv.PostgresDatabase(b))
}

func BenchmarkImportSQLite(b *testing.B) {
	benchmarkImport(b, "sqlite:"+filepath.Join(b.TempDir(), "registry.db"))
}

// benchmarkImport imports benchCitizens new citizens per iteration (fresh
// CUILs each time, so it measures inserts, the bulk of a first load) and
// reports citizens per second.
func benchmarkImport(b *testing.B, url string) {
	d := openStore(b, url)
	var file bytes.Buffer
	total := 0
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		file.Reset()
		synthCitizens(&file, 10_000_000+i*benchCitizens, benchCitizens)
		b.SetBytes(int64(file.Len()))
		b.StartTimer()
		n, err := d.Import(context.Background(), &file, nil)
		if err != nil {
			b.Fatal(err)
		}
		total += n.Citizens
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "citizens/s")
}
