package expression

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
)

// variables are the only identifiers CloudFlow defines.
var variables = map[string]bool{"$Input": true, "$Output": true, "$Context": true, "$Global": true, "$Item": true}

// converter validates a parsed expr tree against CloudFlow's grammar and, in
// the same walk, rewrites it into calls to the internal operator functions.
// Doing both in one pass keeps the whitelist and the semantics side by side.
type converter struct {
	src   string
	runes []rune
	st    *progState
	used  map[string]bool       // functions to register with expr
	item  bool                  // $Item appears
	seen  map[ast.Node]struct{} // the parser shares nodes only in a < b < c
}

func newConverter(src string, st *progState) *converter {
	return &converter{
		src:   src,
		runes: []rune(src),
		st:    st,
		used:  map[string]bool{},
		seen:  map[ast.Node]struct{}{},
	}
}

func (c *converter) errAt(n ast.Node, format string, args ...any) *Error {
	return errAt(c.src, n.Location().From, fmt.Sprintf(format, args...))
}

// call builds a call to a registered function, located at loc so runtime
// errors point at the operator or function name the author wrote.
func (c *converter) call(name string, loc file.Location, args ...ast.Node) ast.Node {
	c.used[name] = true
	callee := &ast.IdentifierNode{Value: name}
	callee.SetLocation(loc)
	n := &ast.CallNode{Callee: callee, Arguments: args}
	n.SetLocation(loc)
	return n
}

func intLiteral(text string, loc file.Location) ast.Node {
	return located(&ast.ConstantNode{Value: json.Number(text)}, loc)
}

func located(n ast.Node, loc file.Location) ast.Node {
	n.SetLocation(loc)
	return n
}

// conv returns the rewritten node; depth counts enclosing function calls.
func (c *converter) conv(n ast.Node, depth int) (ast.Node, *Error) {
	if n == nil {
		return nil, &Error{Expr: c.src, Msg: "incomplete expression"}
	}
	if _, dup := c.seen[n]; dup {
		return nil, c.errAt(n, "chained comparisons (a < b < c) are not supported; use a < b && b < c")
	}
	c.seen[n] = struct{}{}
	switch n := n.(type) {
	case *ast.NilNode, *ast.BoolNode, *ast.StringNode:
		return n, nil
	case *ast.FloatNode:
		if loc := n.Location(); loc.From >= 0 && loc.To <= len(c.runes) && bigIntLiteral(string(c.runes[loc.From:loc.To])) {
			// masked by scanTokens; written without leading zeros
			b, _ := new(big.Int).SetString(string(c.runes[loc.From:loc.To]), 10)
			return intLiteral(b.String(), loc), nil
		}
		return n, nil
	case *ast.IntegerNode:
		// An integer literal is a json.Number, like an integer of the data.
		return intLiteral(strconv.FormatInt(int64(n.Value), 10), n.Location()), nil
	case *ast.IdentifierNode:
		if variables[n.Value] {
			c.item = c.item || n.Value == "$Item"
			return n, nil
		}
		if n.Value == "null" {
			return located(&ast.NilNode{}, n.Location()), nil
		}
		return nil, c.errAt(n, "unknown variable %s; use $Input, $Output, $Context, $Global or $Item (a Map's ItemConstructor)", n.Value)
	case *ast.MemberNode:
		return c.member(n, depth)
	case *ast.UnaryNode:
		return c.unary(n, depth)
	case *ast.BinaryNode:
		return c.binary(n, depth)
	case *ast.CallNode:
		return c.callNode(n, depth)
	case *ast.BuiltinNode:
		return nil, c.errAt(n, "%s", unknownFunction(n.Name))
	case *ast.ArrayNode:
		out := make([]ast.Node, len(n.Nodes))
		for i, e := range n.Nodes {
			v, err := c.conv(e, depth)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return located(&ast.ArrayNode{Nodes: out}, n.Location()), nil
	case *ast.MapNode:
		return c.object(n, depth)
	case *ast.ChainNode:
		return nil, c.errAt(n, "%s", bannedOperators["?."])
	case *ast.SliceNode:
		return nil, c.errAt(n, "slices ([a:b]) are not supported")
	case *ast.ConditionalNode:
		return nil, c.errAt(n, "%s", bannedOperators["?"])
	case *ast.PredicateNode, *ast.PointerNode:
		return nil, c.errAt(n, "closures and predicates are not supported")
	case *ast.VariableDeclaratorNode:
		return nil, c.errAt(n, "%s", bannedOperators["let"])
	case *ast.SequenceNode:
		return nil, c.errAt(n, "%s", bannedOperators[";"])
	}
	return nil, c.errAt(n, "unsupported syntax %s", n)
}

// member flattens a chain like $Input.a[0].b into one $path call.
func (c *converter) member(n *ast.MemberNode, depth int) (ast.Node, *Error) {
	var keys []ast.Node
	var cur ast.Node = n
	for {
		m, ok := cur.(*ast.MemberNode)
		if !ok {
			break
		}
		if m.Optional {
			return nil, c.errAt(m, "%s", bannedOperators["?."])
		}
		if m.Method {
			return nil, c.errAt(m, "method calls are not supported; call built-in functions directly")
		}
		if _, dup := c.seen[m]; dup && m != n {
			return nil, c.errAt(m, "chained comparisons (a < b < c) are not supported; use a < b && b < c")
		}
		c.seen[m] = struct{}{}
		keys = append(keys, m.Property)
		cur = m.Node
	}
	base, err := c.conv(cur, depth)
	if err != nil {
		return nil, err
	}
	args := make([]ast.Node, 1, len(keys)+1)
	args[0] = base
	for i := len(keys) - 1; i >= 0; i-- {
		k, err := c.conv(keys[i], depth)
		if err != nil {
			return nil, err
		}
		args = append(args, k)
	}
	return c.call(fnPath, n.Location(), args...), nil
}

func (c *converter) unary(n *ast.UnaryNode, depth int) (ast.Node, *Error) {
	switch n.Operator {
	case "!", "-":
	case "+":
		return nil, c.errAt(n, "unary + is not supported")
	default:
		if msg, ok := bannedOperators[n.Operator]; ok {
			return nil, c.errAt(n, "%s", msg)
		}
		return nil, c.errAt(n, "operator %s is not supported", n.Operator)
	}
	x, err := c.conv(n.Node, depth)
	if err != nil {
		return nil, err
	}
	if n.Operator == "!" {
		return c.call(fnNot, n.Location(), x), nil
	}
	if f, ok := x.(*ast.FloatNode); ok { // fold -5 at compile time
		return located(&ast.FloatNode{Value: -f.Value}, n.Location()), nil
	}
	if k, ok := x.(*ast.ConstantNode); ok {
		if i, ok := k.Value.(json.Number); ok && !strings.HasPrefix(string(i), "-") {
			return intLiteral("-"+string(i), n.Location()), nil
		}
	}
	return c.call(fnNeg, n.Location(), x), nil
}

func (c *converter) binary(n *ast.BinaryNode, depth int) (ast.Node, *Error) {
	fn, isFunc := binaryFuncs[n.Operator]
	logical := n.Operator == "&&" || n.Operator == "||"
	if !isFunc && !logical {
		if msg, ok := bannedOperators[n.Operator]; ok {
			return nil, c.errAt(n, "%s", msg)
		}
		return nil, c.errAt(n, "operator %s is not supported", n.Operator)
	}
	l, err := c.conv(n.Left, depth)
	if err != nil {
		return nil, err
	}
	// expr parses a < b < c as a < b && b < c with b shared; report it at
	// the second operator.
	if rb, ok := n.Right.(*ast.BinaryNode); ok {
		if _, shared := c.seen[rb.Left]; shared {
			return nil, c.errAt(rb, "chained comparisons (a < b < c) are not supported; use a < b && b < c")
		}
	}
	r, err := c.conv(n.Right, depth)
	if err != nil {
		return nil, err
	}
	if isFunc {
		return c.call(fn, n.Location(), l, r), nil
	}
	// && and || stay native for short-circuiting; operands not known to be
	// booleans get a guard so a wrong type reads as a CloudFlow error.
	return located(&ast.BinaryNode{
		Operator: n.Operator,
		Left:     c.boolGuard(l, n),
		Right:    c.boolGuard(r, n),
	}, n.Location()), nil
}

func (c *converter) boolGuard(x ast.Node, op *ast.BinaryNode) ast.Node {
	switch v := x.(type) {
	case *ast.BoolNode:
		return x
	case *ast.BinaryNode:
		if v.Operator == "&&" || v.Operator == "||" {
			return x
		}
	case *ast.CallNode:
		switch v.Callee.(*ast.IdentifierNode).Value {
		case fnEq, fnNe, fnLt, fnLe, fnGt, fnGe, fnIn, fnNot, fnBool:
			return x
		}
	}
	opName := &ast.StringNode{Value: op.Operator}
	return c.call(fnBool, op.Location(), x, located(opName, op.Location()))
}

func (c *converter) callNode(n *ast.CallNode, depth int) (ast.Node, *Error) {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		if m, isMember := n.Callee.(*ast.MemberNode); isMember && m.Method {
			return nil, c.errAt(n, "method calls are not supported; call built-in functions directly")
		}
		return nil, c.errAt(n, "only built-in functions can be called")
	}
	spec, known := builtins[id.Value]
	if !known {
		return nil, c.errAt(n, "%s", unknownFunction(id.Value))
	}
	if depth+1 > maxCallDepth {
		return nil, c.errAt(n, "too many nested function calls (at most %d)", maxCallDepth)
	}
	if msg := spec.arityError(id.Value, len(n.Arguments)); msg != "" {
		return nil, c.errAt(n, "%s", msg)
	}
	args := make([]ast.Node, 0, len(n.Arguments)+1)
	for _, a := range n.Arguments {
		v, err := c.conv(a, depth+1)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	if spec.random {
		// The random source lives in the per-Eval env; pass it along.
		args = append(args, located(&ast.IdentifierNode{Value: randName}, n.Location()))
	}
	if id.Value == "regexMatchString" {
		if p, isConst := args[0].(*ast.StringNode); isConst {
			re, err := regexp.Compile(p.Value)
			if err != nil {
				return nil, c.errAt(n, "regexMatchString: invalid pattern %q: %v", p.Value, err)
			}
			c.st.regex[p.Value] = re
		}
	}
	return c.call(id.Value, n.Location(), args...), nil
}

// object checks object literals: keys must be quoted strings (expr would
// also take bare identifiers, numbers and computed keys) and unique.
func (c *converter) object(n *ast.MapNode, depth int) (ast.Node, *Error) {
	pairs := make([]ast.Node, 0, len(n.Pairs))
	keys := make(map[string]bool, len(n.Pairs))
	for _, p := range n.Pairs {
		pair, ok := p.(*ast.PairNode)
		if !ok {
			return nil, c.errAt(p, "unsupported object literal")
		}
		key, isStr := pair.Key.(*ast.StringNode)
		from := pair.Key.Location().From
		if !isStr || from < 0 || from >= len(c.runes) || !strings.ContainsRune("\"'`", c.runes[from]) {
			return nil, c.errAt(pair.Key, "object keys must be quoted strings")
		}
		if keys[key.Value] {
			return nil, c.errAt(pair.Key, "duplicate object key %q", key.Value)
		}
		keys[key.Value] = true
		v, err := c.conv(pair.Value, depth)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, located(&ast.PairNode{Key: key, Value: v}, pair.Location()))
	}
	return located(&ast.MapNode{Pairs: pairs}, n.Location()), nil
}

func unknownFunction(name string) string {
	return fmt.Sprintf("unknown function %s; known functions: %s", name, strings.Join(Functions(), ", "))
}
