// The rule expression language as a PEG. Three entry points: `expression_text`
// (a check, when, let, applies-to), `bindings_text` (a rule's `for`) and
// `message_piece` (a piece of a message with `{expr:spec}` placeholders). Rules at which a
// failure is a syntax error are wrapped in must<>; their messages are in
// errors.hpp. Precedence, lowest first: or, and, not, comparison (not chained),
// + -, * /, unary minus, postfix (.name, .name(args), [index], [from:to]).
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/icu/utf8.hpp>

namespace gouji::grammar {

namespace pegtl = tao::pegtl;
using namespace pegtl;

// clang-format off

// White space may span lines: block scalars (|, >) hold multi-line expressions.
struct blank : sor< one< ' ', '\t', '\r', '\n' >, utf8::one< 0x3000, 0xA0 > > {};
struct sp : star< blank > {};

// Identifiers are Unicode (rules are written in Chinese): UAX #31 ID_Start/ID_Continue.
// ASCII first: most identifier characters of the operators' neighbours are ASCII.
// Then the CJK ideographs every ICU since 56 (Unicode 8) has, all of them
// ID_Start and ID_Continue: most of the rest, without a property look-up each.
struct cjk_ideograph : utf8::range< 0x4E00, 0x9FD5 > {};
struct ident_first : sor< ascii::identifier_first, cjk_ideograph, utf8::icu::id_start > {};
struct ident_other : sor< ascii::identifier_other, cjk_ideograph, utf8::icu::id_continue > {};

template< typename Word > struct keyword : seq< Word, not_at< ident_other > > {};
struct kw_and : keyword< TAO_PEGTL_STRING( "and" ) > {};
struct kw_or : keyword< TAO_PEGTL_STRING( "or" ) > {};
struct kw_not : keyword< TAO_PEGTL_STRING( "not" ) > {};
struct kw_if : keyword< TAO_PEGTL_STRING( "if" ) > {};
struct kw_then : keyword< TAO_PEGTL_STRING( "then" ) > {};
struct kw_else : keyword< TAO_PEGTL_STRING( "else" ) > {};
struct kw_in : keyword< TAO_PEGTL_STRING( "in" ) > {};
struct kw_true : keyword< TAO_PEGTL_STRING( "true" ) > {};
struct kw_false : keyword< TAO_PEGTL_STRING( "false" ) > {};
// Tried before every identifier: a first letter no keyword has rules them all out at once.
struct reserved : seq< at< one< 'a', 'o', 'n', 'i', 't', 'e', 'f' > >,
                       sor< kw_and, kw_or, kw_not, kw_if, kw_then, kw_else, kw_in, kw_true, kw_false > > {};

struct identifier : seq< not_at< reserved >, ident_first, star< ident_other > > {};

// Numbers keep their written text: the number of decimals is part of the value.
struct digits : plus< ascii::digit > {};
struct number : seq< digits, opt< one< '.' >, digits > > {};

// Strings: "…", '…' or “…”. Escapes \" \' \\ \n \t in the ASCII-quoted forms; a
// backslash before anything else is kept, so regular expressions read as usual ("\d+").
struct escape_code : utf8::any {};
struct escape : seq< one< '\\' >, must< escape_code > > {};
struct dq_char : sor< escape, utf8::not_one< '"', '\\', '\n' > > {};
struct dq_content : star< dq_char > {};
struct dq_close : one< '"' > {};
struct dq_string : seq< one< '"' >, dq_content, must< dq_close > > {};
struct sq_char : sor< escape, utf8::not_one< '\'', '\\', '\n' > > {};
struct sq_content : star< sq_char > {};
struct sq_close : one< '\'' > {};
struct sq_string : seq< one< '\'' >, sq_content, must< sq_close > > {};
struct cn_content : star< utf8::not_one< 0x201D, '\n' > > {};
struct cn_close : utf8::one< 0x201D > {};
struct cn_string : seq< utf8::one< 0x201C >, cn_content, must< cn_close > > {};
struct string_literal : sor< dq_string, sq_string, cn_string > {};

struct expression;

// Actions (actions.hpp) build the typed tree as rules match: an `*_open` rule
// marks where the items of a list, call or index start on the value stack, a
// `*_rhs` rule folds an operator with its two operands.

struct comma : one< ',' > {};
struct list_open : one< '[' > {};
struct list_close : one< ']' > {};
struct list_items : seq< expression, star< sp, comma, sp, must< expression > > > {};
struct list_literal : seq< list_open, sp, opt< list_items >, sp, must< list_close > > {};

struct paren_close : one< ')' > {};
struct parenthesized : seq< one< '(' >, sp, must< expression >, sp, must< paren_close > > {};

struct args_open : one< '(' > {};
struct call_close : one< ')' > {};
struct arguments : seq< args_open, sp, opt< list_items >, sp, must< call_close > > {};
struct call_arguments : seq< arguments > {};
struct method_arguments : seq< arguments > {};
// A name, or a call when arguments follow: one parse of the name either way.
struct call : seq< identifier, opt< sp, at< one< '(' > >, call_arguments > > {};

struct then_branch : seq< kw_then, sp, must< expression > > {};
struct else_branch : seq< kw_else, sp, must< expression > > {};
struct conditional : seq< kw_if, sp, must< expression >, sp, must< then_branch >, sp, must< else_branch > > {};

struct literal_true : kw_true {};
struct literal_false : kw_false {};

struct primary : sor< number, string_literal, list_literal, parenthesized, conditional,
                      literal_true, literal_false, call > {};

struct member_name : identifier {};
struct member : seq< one< '.' >, sp, must< member_name >, opt< sp, at< one< '(' > >, method_arguments > > {};
struct index_open : one< '[' > {};
struct bracket_close : one< ']' > {};
// `[i]`, `[a:b]`, `[a:]`, `[:b]`: one pass, no re-parse of the first expression.
struct slice_colon : one< ':' > {};
struct slice_to : seq< expression > {};
struct slice_tail : seq< slice_colon, sp, opt< slice_to > > {};
struct index_body : sor< slice_tail, seq< expression, sp, opt< slice_tail > > > {};
struct index : seq< index_open, sp, must< index_body >, sp, must< bracket_close > > {};
struct postfix : seq< primary, star< sp, sor< member, index > > > {};

struct operand : seq< postfix > {};
struct negate : one< '-' > {};
// The prefix operators commit (must<>) only once written, so that an optional
// expression ("[]", "f()") fails softly.
struct negated : seq< plus< negate, sp >, must< operand > > {};
struct unary : sor< negated, operand > {};

struct mul_op : one< '*', '/' > {};
struct product_rhs : seq< mul_op, sp, must< unary > > {};
struct product : seq< unary, star< sp, product_rhs > > {};

struct add_op : one< '+', '-' > {};
struct sum_rhs : seq< add_op, sp, must< product > > {};
struct sum : seq< product, star< sp, sum_rhs > > {};

struct op_eq : TAO_PEGTL_STRING( "==" ) {};
struct op_ne : TAO_PEGTL_STRING( "!=" ) {};
struct op_approx : TAO_PEGTL_STRING( "~=" ) {};
struct op_le : TAO_PEGTL_STRING( "<=" ) {};
struct op_ge : TAO_PEGTL_STRING( ">=" ) {};
struct op_lt : one< '<' > {};
struct op_gt : one< '>' > {};
struct op_not_in : seq< kw_not, sp, kw_in > {};
struct op_in : kw_in {};
// A lone '=' is the commonest slip, and other languages' spellings of >=, <=
// and != the next ones; say what to write instead.
struct single_equals : one< '=' > {};
struct arrow_ge : TAO_PEGTL_STRING( "=>" ) {};
struct arrow_le : TAO_PEGTL_STRING( "=<" ) {};
struct diamond : TAO_PEGTL_STRING( "<>" ) {};
template< typename Slip > struct refused : seq< at< Slip >, raise< Slip > > {};
struct compare_op : sor< op_eq, op_ne, op_approx, op_le, op_ge, refused< diamond >, op_lt, op_gt, op_not_in, op_in,
                         refused< arrow_ge >, refused< arrow_le >, refused< single_equals > > {};
struct unchained : seq< sp, not_at< compare_op > > {};
struct comparison_rhs : seq< compare_op, sp, must< sum >, must< unchained > > {};
struct comparison : seq< sum, opt< sp, comparison_rhs > > {};

struct not_op : kw_not {};
struct negated_condition : seq< plus< not_op, sp >, must< comparison > > {};
struct negation : sor< negated_condition, comparison > {};

struct and_op : kw_and {};
struct and_rhs : seq< and_op, sp, must< negation > > {};
struct conjunction : seq< negation, star< sp, and_rhs > > {};

struct or_op : kw_or {};
struct or_rhs : seq< or_op, sp, must< conjunction > > {};
struct disjunction : seq< conjunction, star< sp, or_rhs > > {};

// Every nesting (parentheses, arguments, indexes, list items) goes through here:
// the depth limit in actions.hpp counts it.
struct expression : seq< disjunction > {};

struct end_of_text : eof {};

struct expression_text : seq< sp, must< expression >, sp, must< end_of_text > > {};

// `c in 表三.columns, r in 表三.rows`
struct binding_name : identifier {};
struct binding_in : kw_in {};
struct binding : seq< binding_name, sp, must< binding_in >, sp, must< expression > > {};
struct bindings_text : seq< sp, must< binding >, star< sp, comma, sp, must< binding > >, sp, must< end_of_text > > {};

// Messages: text with {expression} or {expression:spec}; {{ and }} are braces.
struct escaped_open : TAO_PEGTL_STRING( "{{" ) {};
struct escaped_close : TAO_PEGTL_STRING( "}}" ) {};
struct format_spec : star< not_one< '}' > > {};
struct placeholder_close : one< '}' > {};
struct placeholder : seq< one< '{' >, sp, must< expression >, sp, opt< one< ':' >, format_spec >, must< placeholder_close > > {};
struct text_run : plus< not_one< '{', '}' > > {};
// A '}' that closes nothing is a '{' forgotten (or a brace meant as "}}"): printed
// as it is, the placeholder it ended would show its source, not its value. No
// piece starts there (parser.cpp says so and goes on).
struct lone_close : one< '}' > {};
// A message is read a piece at a time (parser.cpp), so that a placeholder that
// does not parse is said and the ones after it are still read and checked.
struct message_piece : sor< escaped_open, escaped_close, placeholder, text_run > {};

// clang-format on

}  // namespace gouji::grammar
