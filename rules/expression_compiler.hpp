// Typed tree -> compiled node, with the static checks: every name resolved
// (variables, lets, params, built-in names, tables, and each row, column and row
// group against every template the rule is checked against), every function and
// member known with the right arity, operand types that fit. Each problem is
// reported at its file position with a did-you-mean where one is close; the
// offending node gets type Any so one mistake is reported once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gouji/template_schema.hpp"
#include "grammar/ast.hpp"
#include "grammar/parser.hpp"
#include "rules/diagnostics.hpp"
#include "rules/names.hpp"
#include "rules/program.hpp"
#include "rules/yaml_text.hpp"

namespace gouji::rules {

struct Symbol {
    enum class Kind { Variable, Let, Param, Global };
    Kind kind = Kind::Variable;
    std::string name;
    std::uint32_t slot = 0;
    std::uint32_t pack = 0;  // a param's: the pack that declares it (Program::packs)
    types::Type type;
    program::Global global = program::Global::Year;
    bool used = false;
    const YamlText* declared = nullptr;  // where a let or `for` variable is declared (for "unused")
    std::uint32_t declared_offset = 0;   // of its name in `declared`
    std::optional<std::string> text;     // a param's value, when it is a constant text (a pattern, a template id)
    std::vector<std::string> texts;      // a param's values, when it is a list of constant texts
    // A param's list, item by item as written and typed: a list of numbers and
    // texts is a value join() and `in` take, which sum() cannot.
    std::vector<const YamlText*> items;
    std::vector<types::Type> item_types;
    // A param's value as written, when it is one scalar: an error in it (an
    // invalid pattern) is said there, where it is mended, not where it is used.
    const YamlText* value = nullptr;
    // A let or param that is `template` itself: read as `template`, so that
    // comparing it with a template id also names the templates based on that one.
    bool holds_template = false;
    bool holds_cell = false;  // a let that is one table cell (program::names_a_cell)
};

// Names visible to an expression; the innermost is searched first. A rule's
// scope holds its own names (bindings, lets) over its pack's (`outer`: the
// built-in names and the params), which every rule reads and none copies.
struct Scope {
    std::vector<Symbol> symbols;
    const Scope* outer = nullptr;  // searched after `symbols`; never changed through this one

    const Symbol* find(const std::string& name) const;
    // Notes that `s` (found here) is read: a let never read is reported.
    void mark_used(const Symbol* s);
    // Every symbol, outermost first, in the order declared.
    template <typename Visit>
    void each(Visit visit) const {
        if (outer) outer->each(visit);
        for (const auto& s : symbols) visit(s);
    }
    std::vector<std::string> names() const;
};

// The built-in names over the report: year, template, sections, figures, lists…
void add_globals(Scope& scope);

// A template id an applies-to compares `template` with that the catalog lacks.
// Its error is said once the rules the applies-to covers are compiled: whether
// the nearest known id is a fix depends on the names they read.
struct UnknownTemplate {
    std::string id;
    std::string via;  // "param 'forms' names an " when a param holds it, else ""
    const YamlText* at = nullptr;
    std::uint32_t offset = 0;  // in `at`
};

// A name read by a rule that applies only to templates the catalog lacks
// (CompileEnv::only_unknown_templates), which a template of the catalog lacks.
struct UncheckedName {
    std::string what;  // "row '本年新受理' of 表三"
    SourcePos pos;
    // Each template of the catalog lacking it, with its own nearest name ("" for none).
    std::vector<std::pair<std::string, std::string>> lacking;
};

// The error for `unknown`: with the nearest known id as a did-you-mean, unless
// the rules read a name that template lacks (one of `unchecked` is said then).
std::string unknown_template_error(const UnknownTemplate& unknown, const TemplateCatalog& catalog,
                                   const std::vector<UncheckedName>& unchecked);

// A variable a quantifier of the rule binds (all(p in l.parts, …)), in scope
// only inside it: a use of the name elsewhere in the rule is told so, not
// reported as an unknown name or table.
struct QuantifierVariable {
    std::string name;
    std::string binder;       // "all(p in …)"
    std::string where;        // "the check", "let 'share'"
    std::uint32_t line = 0;   // of the binder, in the file
    // The rule's `for` with the binder (and those it is inside) added: one
    // finding per value ("l in lists, p in l.parts").
    std::string as_for;
};

// Adds to `out` the variable of every quantifier of `e` (written in `text`,
// `where` of its rule, whose `for` is `rule_for`: "" for none).
void collect_quantifier_variables(const ast::Expr& e, const YamlText& text, const std::string& where,
                                  const std::string& rule_for, std::vector<QuantifierVariable>& out);

struct CompileEnv {
    Diagnostics& diagnostics;
    // The templates the expression is checked against; tables are unknown when empty.
    std::vector<const TemplateSchema*> templates;
    names::NameIndexCache* names = nullptr;  // shared by the whole compile
    // Set for applies-to: only metadata and params are in scope, to say so when a table is named.
    bool metadata_only = false;
    // Tables the expressions name: the rule runs only on reports whose template has them all.
    std::vector<std::string> tables;
    // Slots for `for` and quantifier variables of the rule being compiled.
    std::uint32_t next_slot = 0;
    std::uint32_t max_slot = 0;
    // Every template a report may have, whatever the rule applies to: a text
    // compared with `template` must name one.
    const TemplateCatalog* catalog = nullptr;
    // While a let (param) is compiled: the lets of its rule (params of its pack)
    // declared after it, which it cannot use (both are worked out in order), what
    // they are ("let", "param"), and those it tried to use.
    std::vector<std::string> declared_later;
    const char* declared_later_kind = "let";
    std::vector<std::string> used_too_early;
    // While a rule is compiled: the templates based on another that lack a row,
    // column or group the rule names, which the others have (a new form that
    // drops a row of its base), each with the first such name. The rule does not
    // check their reports. Null elsewhere (params, applies-to): such a name is an
    // error there, as for any template.
    std::vector<program::SetAside>* set_aside = nullptr;
    // The rule is a standard pack's, written for the standard templates: a local
    // copy of one (TemplateSchema::local_copy) that lacks a name it reads sets it
    // aside. A rule of one's own is held to the copy, as to any template.
    bool standard_pack = false;
    // The let (param) being compiled: it cannot use itself.
    std::string declaring{};
    // The applies-to that should narrow `templates` has an error: a row or
    // column that only some of them have may be one of the template meant, and
    // is not reported (the applies-to's error is).
    bool applies_unsure = false;
    // The pack extends a pack that could not be found: an unknown name may be one
    // of its params, and is not reported (the extends entry is).
    bool names_may_be_inherited = false;
    // While an applies-to is compiled: the template ids it names that the catalog
    // lacks, noted here rather than reported (UnknownTemplate).
    std::vector<UnknownTemplate>* unknown_templates = nullptr;
    // The applies-to admits no template of the catalog, only ids the catalog
    // lacks: a template to be given with --templates, which the names the rule
    // reads may be of. A table, row, column, row group or section some template
    // of `templates` lacks is not reported but noted in `unchecked` (the
    // applies-to's error says one of them); it is checked once the template is given.
    bool only_unknown_templates = false;
    // The applies-to admits ids the catalog lacks and, of `templates`, these
    // (`template in ["gov-2019", "gov-2027"]`). A row, column or row group of a
    // table one of them has must be in it (the rule runs on its reports); any
    // other name some template lacks is put off as under only_unknown_templates
    // (a table, a section, a name only the templates not admitted lack).
    std::vector<const TemplateSchema*> known_too{};
    std::vector<UncheckedName>* unchecked = nullptr;
    // While a rule is compiled: the variables its quantifiers bind, and what is
    // being compiled ("the check", "let 'share'"; "" outside a rule).
    std::vector<QuantifierVariable> quantifier_variables{};
    std::string reading{};
};

class ExpressionCompiler {
public:
    ExpressionCompiler(CompileEnv& env, Scope& scope, const YamlText& text) : env_(env), scope_(scope), text_(text) {}

    // Parses the whole text as an expression and compiles it; nullopt when it
    // does not parse (the syntax error is reported).
    std::optional<program::Node> compile_text();
    program::Node compile(const ast::Expr& e);

    // The text is a message: its expressions are the placeholders, and its
    // literal words are written outside them.
    void compiling_message() { message_ = true; }

    // Reports `message` at byte `offset` of the text.
    void error(std::uint32_t offset, std::string message);
    // The syntax error `err` of the text, reported; a row's label pasted after a
    // table's name (表三.（一）予以公开) is told how to name the row.
    void syntax_error(const SyntaxError& err);

    // Declares `name` as the variable ranging over `collection` (written at
    // `offset`; anything but a list is an error) and returns its slot.
    std::uint32_t declare_variable(const std::string& name, const program::Node& collection, std::uint32_t offset);

private:
    program::Node node(program::Op op, const ast::Expr& at, types::Type type);
    program::Node poisoned(const ast::Expr& at);

    program::Node compile_name(const ast::Expr& e, const ast::Name& n, bool as_table = false);
    // The error for `name`, a variable bound only inside a quantifier (q) of the rule.
    std::string bound_elsewhere(const std::string& name, const QuantifierVariable& q) const;
    // The object of '.', '[ ]': a bare name there that is unknown is reported as a table.
    program::Node compile_object(const ast::Expr& e);
    program::Node compile_member(const ast::Expr& e, const ast::Member& m);
    program::Node compile_method(const ast::Expr& e, const ast::Member& m, program::Node object);
    program::Node compile_index(const ast::Expr& e, const ast::Index& ix);
    // captures(text, "…(\\d+)件")[2]: a group a literal pattern lacks.
    void check_capture_group(const program::Node& object, const program::Node& index, std::uint32_t offset);
    program::Node compile_slice(const ast::Expr& e, const ast::Slice& s);
    program::Node compile_call(const ast::Expr& e, const ast::Call& c);
    program::Node compile_binder_call(const ast::Expr& e, const ast::Call& c, const ast::Binary& binding);
    program::Node compile_unary(const ast::Expr& e, const ast::Unary& u);
    program::Node compile_binary(const ast::Expr& e, const ast::Binary& b);
    program::Node compile_conditional(const ast::Expr& e, const ast::Conditional& c);
    program::Node compile_list(const ast::Expr& e, const ast::List& l);
    // An index or slice bound: a bare name that is no variable is a row/column name.
    program::Node compile_name_operand(const ast::Expr& e);
    static bool bare_name(const ast::Expr& e) { return std::holds_alternative<ast::Name>(e.node); }

    // Name checks against every template that has the table; report once per use.
    // `variables`: the name was a bare identifier, so a misspelt variable is a candidate too.
    // Whether every template has the row (column); reports it where one lacks it.
    // `member_of`: the name follows a '.' on a value of that kind, whose members
    // (表三.columns) are suggested too.
    // Whether the named bounds of a slice of a table's rows are its columns (said, if so).
    bool slice_of_columns(const ast::Slice& s, const std::optional<program::Node> (&bounds)[2], const std::string& table);
    bool check_row(const std::string& table, const std::string& name, std::uint32_t offset, bool variables = false,
                   types::Kind member_of = types::Kind::Any);
    bool check_column(const std::string& table, const std::string& name, std::uint32_t offset, bool variables = false,
                      types::Kind member_of = types::Kind::Any);
    void check_cell(const std::string& table, const std::string& row, const std::string& column, std::uint32_t offset);
    void check_group(const std::string& table, const std::string& name, std::uint32_t offset);
    // Whether the templates `lacking` of `with_table` may be set aside (CompileEnv::set_aside)
    // rather than be an error; if so, sets them aside with `reason`.
    bool set_aside(const std::vector<const TemplateSchema*>& lacking, std::size_t with_table, const std::string& reason);
    void check_section_name(const std::string& name, std::uint32_t offset);
    // Under CompileEnv::only_unknown_templates or known_too: notes `what`, read
    // at `offset`, with the templates of the catalog for which `has` is false and
    // `nearest` there, and returns true (it is not reported) unless `known_lack`
    // (a template of known_too lacks it) and not only_unknown_templates. False otherwise.
    template <typename Has, typename Nearest>
    bool put_off(const std::string& what, std::uint32_t offset, Has has, Nearest nearest, bool known_lack = false);
    // put_off() of a name of `table`: `has` and `nearest` take the template's table
    // (a template without it lacks the name; one of known_too with it must have it).
    template <typename Has, typename Nearest>
    bool put_off_in(const std::string& table, const std::string& what, std::uint32_t offset, Has has, Nearest nearest);
    // A name written bare that is close to a let, param or `for` variable: a
    // misspelt one, whatever template the rule is for.
    bool near_a_variable(const std::string& name) const;
    // `template == "gov2019"` holds for no report: a typo that would silently
    // turn a rule or a whole pack off. `other` is what `template` is compared with.
    void check_template_names(const program::Node& other, const ast::Expr& other_expr);
    bool table_known(const std::string& table) const;
    // "pre-2019 (tables: 附表), the only template this rule applies to; gov-2019
    // has it" for a table of the catalog that no template the rule applies to
    // has; "" for a table of none.
    std::string templates_with_table(const std::string& table) const;
    // What a name can be, for an unknown one nothing known is close to: the tables
    // of the templates the rule applies to, params, lets, `for` variables, globals.
    std::string what_a_name_is() const;
    // How to write `name`, an unknown name of Chinese words, as the text it was
    // likely meant to be: in a param, in YAML quotes; elsewhere, quoted inside
    // the expression.
    std::string text_hint(const std::string& name) const;
    // A list argument of elements of several types (a param's or written in the
    // call) holding one that `fn` refuses: where to say so, and what.
    std::optional<std::pair<std::uint32_t, std::string>> refused_element(const program::Builtin& fn, const ast::Call& c,
                                                                         const std::vector<program::Node>& args,
                                                                         const std::vector<types::Type>& arg_types);
    const names::NameIndex& index(const TableSchema& schema);
    names::NameIndexCache& names();
    const std::string& key_of(const std::string& name);
    // "'（一）予以公开' is how the template prints row 予以公开: write …" when the
    // syntax error at `offset` is inside a row label written after a table's name.
    // Where the label starts, and what to say.
    std::optional<std::pair<std::uint32_t, std::string>> pasted_label(std::uint32_t offset);

    CompileEnv& env_;
    std::unique_ptr<names::NameIndexCache> owned_names_;
    Scope& scope_;
    const YamlText& text_;
    bool message_ = false;
};

// A literal name usable for checks: the string of a Constant string node.
const std::string* literal_name(const program::Node& n);

}  // namespace gouji::rules
