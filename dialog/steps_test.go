package dialog

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clavebot/clavebot/i18n"
	"github.com/clavebot/clavebot/registry"
)

// constantsOf lists the values of the package's constants declared with
// type typ, read from its source, so a constant added without its table
// entry is found.
func constantsOf(t *testing.T, typ string) []string {
	t.Helper()
	// The types channels see (Expect, Flow) are declared in dialog/convo.
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := filepath.Glob("convo/*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, leaf...)
	var out []string
	fset := gotoken.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != gotoken.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != typ {
					if !convertsTo(vs, typ) {
						continue
					}
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if call, isCall := v.(*ast.CallExpr); isCall && len(call.Args) == 1 {
						lit, ok = call.Args[0].(*ast.BasicLit)
					}
					if !ok {
						t.Fatalf("%s: a %s constant that is not a literal", fset.Position(v.Pos()), typ)
					}
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, s)
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no constants of type %s found", typ)
	}
	return out
}

// convertsTo reports whether a constant is declared as typ("...").
func convertsTo(vs *ast.ValueSpec, typ string) bool {
	for _, v := range vs.Values {
		if call, ok := v.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == typ {
				return true
			}
		}
	}
	return false
}

func TestEveryStepHasACompleteEntry(t *testing.T) {
	table := stepTable()
	declared := constantsOf(t, "Step")
	for _, name := range declared {
		s := Step(name)
		t.Run(name, func(t *testing.T) {
			d, ok := table[s]
			if !ok {
				t.Fatal("no entry in stepTable")
			}
			switch {
			case d.expect == "":
				t.Error("no expect")
			case d.ask == nil:
				t.Error("no ask")
			case d.read == nil:
				t.Error("no read")
			case d.back == nil:
				t.Error("no back («volver»)")
			case d.secret != d.expect.Secret():
				t.Errorf("secret %v, but its expect %q says %v to the channels", d.secret, d.expect, d.expect.Secret())
			case d.datum != nil && !d.typed:
				t.Error("a personal-data step not typed")
			case d.typed && (d.secret || slices.Contains([]Expect{ExpectMenu, ExpectChoice, ExpectText, ExpectCode}, d.expect)):
				t.Errorf("typed, but its expect %q is no datum typed", d.expect)
			}
			if dt := d.datum; dt != nil && (dt.read == nil || dt.match == nil || dt.bad == "" || dt.field == "") {
				t.Errorf("incomplete datum %+v", dt)
			}
		})
	}
	for s := range table {
		if !slices.Contains(declared, string(s)) {
			t.Errorf("stepTable has %q, not a declared Step", s)
		}
	}
}

// expectsAhead are expect values CONTRACT §3 declares before a step
// produces them; none now.
var expectsAhead = []Expect{}

func TestEveryExpectIsProducedByAStep(t *testing.T) {
	table := stepTable()
	for _, name := range constantsOf(t, "Expect") {
		e := Expect(name)
		if slices.Contains(expectsAhead, e) {
			continue
		}
		found := false
		for _, d := range table {
			found = found || d.expect == e
		}
		if !found {
			t.Errorf("no step expects %q", e)
		}
	}
}

func TestEveryFlowHasACompleteEntry(t *testing.T) {
	flows, steps := flowTable(), stepTable()
	for _, name := range constantsOf(t, "Flow") {
		f := Flow(name)
		t.Run("flow "+name, func(t *testing.T) {
			d, ok := flows[f]
			if !ok {
				t.Fatal("no entry in flowTable")
			}
			if len(d.steps) == 0 {
				t.Fatal("no steps")
			}
			for _, s := range d.steps {
				if _, ok := steps[s]; !ok {
					t.Errorf("step %q has no entry in stepTable", s)
				}
			}
			if !d.onCUIL() {
				if d.begin == nil {
					t.Error("a flow that does not start with the CUIL needs begin")
				}
				return
			}
			switch {
			case d.intro == "" || d.topic == "":
				t.Errorf("a flow on a CUIL needs its intro and topic: %+v", d)
			case d.instead == "" || d.insteadMsg == "" || d.instead == f:
				t.Errorf("a flow on a CUIL needs the flow offered instead: %+v", d)
			case d.action == "" || d.done == "":
				t.Errorf("a flow on a CUIL needs the audit action and done message of what it stores: %+v", d)
			case d.has(StepNewKey) && d.steps[len(d.steps)-1] != StepConfirmKey:
				t.Error("a flow storing a key ends confirming it")
			}
		})
	}
}

// A flow's personal data are asked in its order; those only a record
// calls for (the número de trámite) come apart, asked once the others
// matched, so what is asked first is the same for every CUIL.
func TestPersonalStepsFollowTheFlow(t *testing.T) {
	e := &Engine{steps: stepTable(), flows: flowTable()}
	tests := []struct {
		flow          Flow
		tramite       string
		first, record []Step
	}{
		{FlowCreate, "", []Step{StepFirstNames, StepLastNames, StepBirthDate, StepDNI}, nil},
		{FlowCreate, "00612345678", []Step{StepFirstNames, StepLastNames, StepBirthDate, StepDNI}, []Step{StepTramite}},
		{FlowRecover, "", []Step{StepDNI, StepBirthDate}, nil},
		{FlowRecover, "00612345678", []Step{StepDNI, StepBirthDate}, []Step{StepTramite}},
		{FlowChange, "00612345678", nil, nil},
	}
	for _, tt := range tests {
		tu := &turn{e: e, st: &State{Flow: tt.flow}}
		c := citizenWithTramite(tt.tramite)
		if got := tu.personalSteps(); !slices.Equal(got, tt.first) {
			t.Errorf("%s: %v, want %v", tt.flow, got, tt.first)
		}
		if got := tu.recordSteps(c); !slices.Equal(got, tt.record) {
			t.Errorf("%s (trámite %q): the record calls for %v, want %v", tt.flow, tt.tramite, got, tt.record)
		}
	}
}

func citizenWithTramite(tramite string) *registry.Citizen {
	return &registry.Citizen{DNITramite: tramite}
}

// A chat at an offer when a new version is deployed keeps its offer: the
// kinds older versions stored as strings are read as typed offers.
func TestLegacyOffersAreRead(t *testing.T) {
	tests := []struct {
		raw  string
		want Offer
	}{
		{`{"s":"offer","c":"20314567898","o":{"y":"recover","k":"keep_cuil","m":{"k":"create.has_key"}}}`,
			Offer{Kind: OfferFlow, Flow: FlowRecover, CUIL: "20314567898"}},
		{`{"s":"offer","o":{"y":"trouble","k":"check:blocked","m":{"k":"trouble.offer_check"}}}`,
			Offer{Kind: OfferCheck, Flow: FlowTrouble, Topic: "blocked"}},
		{`{"s":"offer","o":{"y":"handoff","k":"cuil_unknown","m":{"k":"offer.handoff_failures"}}}`,
			Offer{Kind: OfferHandoff, Flow: FlowHandoff, Reason: "cuil_unknown"}},
		{`{"s":"offer","o":{"y":"create","k":"switch","m":{"k":"offer.switch"}}}`,
			Offer{Kind: OfferFlow, Flow: FlowCreate}},
		{`{"s":"offer","o":{"ok":"flow","y":"change","c":"20314567898","m":{"k":"x"}}}`,
			Offer{Kind: OfferFlow, Flow: FlowChange, CUIL: "20314567898"}},
	}
	for _, tt := range tests {
		st, err := decodeState([]byte(tt.raw))
		if err != nil {
			t.Fatal(err)
		}
		got := *st.Offer
		got.Msg = i18n.Message{}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s\n got  %+v\n want %+v", tt.raw, got, tt.want)
		}
	}
}

func TestYesOrNo(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := New(nil, nil, cat)
	tests := map[string]int{
		"sí": 1, "Si": 1, "1": 1, "Sí, dale": 1, "dale": 1, "claro que sí": 1, "de una": 1, "ok, gracias": 1,
		"si quiero crearla": 1, "yes please": 1, "bueno": 1,
		"no": 0, "2": 0, "No, gracias": 0, "no gracias, está bien": 0, "ahora no": 0, "mejor no": 0, "nop": 0,
		"si pero no ahora": -1, "20-31456789-8": -1, "qué es eso": -1, "3": -1, "tal vez": -1,
		"sí, 20-31456789-8": 1, "y": 1,
		// A question opened with "y", and "no" that says the person is
		// lost, answer neither.
		"y ahora que hago": -1, "y cuanto tengo que esperar?": -1,
		"y sí": 1, "y bueno": 1, "Y dale": 1, "y no": 0,
		"sii": 1, "sisi": 1, "noo": 0, "mmm no": 0, "eh, sí": 1,
		"no entiendo nada": -1, "no sé": -1, "no se que hacer": -1, "No, no entiendo": -1,
		// The River Plate's no without a "no" (a regression probe).
		"ni ahí": 0, "ni ahi, gracias": 0, "ni loca": 0, "ni en pedo": 0, "para nada": 0, "ni idea": -1, "para": -1,
	}
	for text, want := range tests {
		if got := e.yesOrNo(text); got != want {
			t.Errorf("yesOrNo(%q) = %d, want %d", text, got, want)
		}
	}
}
