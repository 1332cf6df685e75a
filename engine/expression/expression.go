package expression

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// Env holds the values an expression can see.
type Env struct {
	Input, Output, Context, Global any
	// Item is a Map's item, for its ItemConstructor ($Item); nil elsewhere.
	Item any
	// Rand returns a number in [0, n) for randomInt and uuid, so a run
	// given a source is reproducible; nil uses math/rand/v2 for randomInt
	// and crypto/rand for uuid.
	Rand func(n int64) int64
}

// vmEnv is what the expr VM sees; the tags give the fields CloudFlow's
// $-prefixed names, which expr accepts as identifiers.
type vmEnv struct {
	Input   any               `expr:"$Input"`
	Output  any               `expr:"$Output"`
	Context any               `expr:"$Context"`
	Global  any               `expr:"$Global"`
	Item    any               `expr:"$Item"`
	Rand    func(int64) int64 `expr:"$Rand"`
}

// runner pairs a reusable VM with its env so a steady-state Eval allocates
// neither.
type runner struct {
	vm  vm.VM
	env vmEnv
}

// Program is a compiled expression, safe for concurrent Eval.
type Program struct {
	src      string
	usesItem bool
	prog     *vm.Program
	pool     sync.Pool // of *runner
}

// Error is a compile or evaluation error. Column is 1-based in runes
// within Expr, 0 when unknown.
type Error struct {
	Expr   string
	Column int
	Msg    string
}

func (e *Error) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("expression %q: column %d: %s", e.Expr, e.Column, e.Msg)
	}
	return fmt.Sprintf("expression %q: %s", e.Expr, e.Msg)
}

// Compile parses src, checks it against CloudFlow's grammar and compiles
// it. Errors are *Error.
func Compile(src string) (*Program, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &Error{Expr: src, Msg: "expression is empty"}
	}
	if len(src) > maxSourceLen {
		return nil, &Error{Expr: strings.ToValidUTF8(src[:64], "") + "…", Msg: fmt.Sprintf("expression is longer than %d bytes", maxSourceLen)}
	}
	parseSrc, serr := scanTokens(src)
	if serr != nil {
		return nil, serr
	}

	config := conf.CreateNew()
	expr.Env(vmEnv{})(config)
	expr.DisableAllBuiltins()(config)
	for name := range config.Disabled {
		delete(config.Builtins, name)
	}
	tree, err := parser.ParseWithConfig(parseSrc, config)
	if err != nil {
		return nil, fromExprError(src, err)
	}

	st := &progState{regex: map[string]*regexp.Regexp{}}
	cv := newConverter(src, st)
	root, cerr := cv.conv(tree.Node, 0)
	if cerr != nil {
		return nil, cerr
	}
	tree.Node = root
	for name := range cv.used {
		if spec, ok := builtins[name]; ok {
			expr.Function(name, builtinFunc(name, spec, st))(config)
		} else {
			expr.Function(name, internalFuncs[name])(config)
		}
	}
	config.Check()
	if _, err := checker.Check(tree, config); err != nil {
		return nil, fromExprError(src, err)
	}
	prog, err := compiler.Compile(tree, config)
	if err != nil {
		return nil, fromExprError(src, err)
	}
	return &Program{src: src, prog: prog, usesItem: cv.item}, nil
}

// UsesItem reports whether the expression reads $Item, which only a Map's
// ItemConstructor gives a value.
func (p *Program) UsesItem() bool { return p.usesItem }

// Source returns the expression text.
func (p *Program) Source() string { return p.src }

// Eval evaluates the expression. The result is a JSON value (integers and
// numbers passed through as json.Number, computed decimals as float64); it
// may share structure with env's values, so treat both as read-only.
func (p *Program) Eval(env Env) (any, error) {
	out, err := p.run(env)
	if err != nil {
		return nil, err
	}
	return normalize(out), nil
}

// EvalBool evaluates a condition, which must produce true or false.
func (p *Program) EvalBool(env Env) (bool, error) {
	out, err := p.run(env)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, &Error{Expr: p.src, Msg: fmt.Sprintf("condition is %s, not true or false", article(out))}
	}
	return b, nil
}

func (p *Program) run(env Env) (any, error) {
	r, _ := p.pool.Get().(*runner)
	if r == nil {
		r = new(runner)
	}
	r.env = vmEnv{
		Input:   normScalar(env.Input),
		Output:  normScalar(env.Output),
		Context: normScalar(env.Context),
		Global:  normScalar(env.Global),
		Item:    normScalar(env.Item),
		Rand:    env.Rand,
	}
	out, err := r.vm.Run(p.prog, &r.env)
	r.env = vmEnv{} // do not keep caller data alive in the pool
	p.pool.Put(r)
	if err != nil {
		return nil, fromExprError(p.src, err)
	}
	return out, nil
}

// tokenDesc matches expr's token descriptions (Operator("==")) so messages
// can show just the text the author typed.
var tokenDesc = regexp.MustCompile(`(?:token )?\b(?:Operator|Bracket|Identifier|Number|String|Bytes)\(("(?:[^"\\]|\\.)*")\)`)

// fromExprError converts expr's *file.Error (or anything else) to *Error.
func fromExprError(src string, err error) *Error {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return &Error{Expr: src, Msg: err.Error()}
	}
	msg := fe.Message
	if inner := fe.Unwrap(); inner != nil {
		msg = inner.Error() // our own function errors, without expr's decoration
	}
	switch msg {
	case "unexpected token EOF":
		msg = "unexpected end of expression"
	}
	msg = tokenDesc.ReplaceAllString(msg, "$1")
	col := fe.From + 1
	if col < 1 || col > len([]rune(src))+1 {
		col = 0
	}
	return &Error{Expr: src, Column: col, Msg: msg}
}
