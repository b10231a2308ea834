package sqlstore

import (
	"context"
	"sort"

	"github.com/clavebot/clavebot/registry"
)

// poolCap bounds each list of the distractor pool. The most common names
// come first: they make the most plausible wrong options.
const poolCap = 3000

// DistractorPool lists the most common employer and benefit names, each
// list sorted.
func (d *DB) DistractorPool(ctx context.Context) (registry.Pool, error) {
	var p registry.Pool
	var err error
	if p.Employers, err = d.commonNames(ctx, "employers"); err != nil {
		return registry.Pool{}, err
	}
	if p.Benefits, err = d.commonNames(ctx, "benefits"); err != nil {
		return registry.Pool{}, err
	}
	return p, nil
}

// commonNames reads the names of table (a constant, never input).
func (d *DB) commonNames(ctx context.Context, table string) ([]string, error) {
	var names []string
	q := d.db.Rebind(`SELECT name FROM ` + table + ` GROUP BY name ORDER BY count(*) DESC, name LIMIT ?`)
	if err := d.db.SelectContext(ctx, &names, q, poolCap); err != nil {
		return nil, d.fail("distractor pool", err)
	}
	sort.Strings(names)
	return names, nil
}
