// One pack's params and applies-to, and each of its rules, compiled to program
// nodes with their static checks. A RuleCompiler holds what compiling needs
// from one rule to the next (its errors, its name cache, the depths of the
// rule's lets) and only reads the program being built, so that two of them
// compile the rules of the packs side by side (rules/compile.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "gouji/rules.hpp"
#include "gouji/template_schema.hpp"
#include "rules/diagnostics.hpp"
#include "rules/expression_compiler.hpp"
#include "rules/names.hpp"
#include "rules/pack_loader.hpp"
#include "rules/program.hpp"

namespace gouji::rules {

// What to say of a severity parse_severity() (gouji/finding.hpp) refuses: the three, and the one meant.
std::string severity_error(const std::string& s);

// What the rules of one pack are compiled against.
struct PackFrame {
    std::size_t pack = 0;  // index into Program::packs
    std::string file;
    Scope scope;  // the built-in names and the pack's params
    std::vector<const TemplateSchema*> templates;  // those the pack's applies-to admits
    // Evaluated depth of each param in scope, by declaring pack (Program::packs), then slot.
    std::map<std::uint32_t, std::vector<std::size_t>> param_depths;
    // The pack's applies-to has an error, or admits no template (said once):
    // `templates` are all, not those it meant.
    bool applies_unsure = false;
    // The pack extends (maybe through another) a pack that could not be found.
    bool names_may_be_inherited = false;
    bool standard = false;  // one of the standard packs (default_rulepack_dir())
    // Template ids the pack's applies-to names that the catalog lacks: said once
    // its rules are compiled (RuleCompiler::say_unknown_templates).
    std::vector<UnknownTemplate> unknown_templates;
    // Those are its applies-to's only errors, and it admits no template of the
    // catalog: CompileEnv::only_unknown_templates for its rules.
    bool only_unknown_templates = false;
    // Those are its only errors, and it admits these templates of the catalog
    // too: CompileEnv::known_too for its rules.
    std::vector<const TemplateSchema*> known_too;
};

// An applies-to compiled.
struct AppliesTo {
    // Nullopt when it has an error (reported, or in `unknown`), so that it narrows nothing.
    std::optional<program::Node> node;
    // The template ids it names that the catalog lacks, not yet said.
    std::vector<UnknownTemplate> unknown;
    // When `unknown` are its only errors: the condition as written, to try the
    // templates of the catalog with.
    std::optional<program::Node> but_for_unknown;
};

// A condition that decides whether a rule runs: an applies-to compiled in
// pack `pack` (whose params it may read).
struct Condition {
    const program::Node* node = nullptr;
    std::uint32_t variable_count = 0;
    std::size_t pack = 0;
};

class RuleCompiler {
public:
    // `program`: the packs compiled so far, whose params applies-to may read.
    RuleCompiler(const TemplateCatalog& catalog, const program::Program& program);
    RuleCompiler(const RuleCompiler&) = delete;
    RuleCompiler& operator=(const RuleCompiler&) = delete;

    // The errors reported since the last call, in the order they were found.
    std::vector<RuleDiagnostic> take_errors();

    // The pack's params, into `pack` (values, names) and `frame` (scope, depths).
    void compile_params(const PackDecl& d, program::CompiledPack& pack, PackFrame& frame);
    // An applies-to: a condition over the report's metadata and the params.
    AppliesTo compile_applies_to(const YamlText& text, Scope& scope, std::uint32_t& variable_count,
                                 bool names_may_be_inherited = false);
    // Whether `applies` (AppliesTo::but_for_unknown) admits none of `among`:
    // it is for templates the catalog lacks only.
    bool only_unknown_templates(const AppliesTo& applies, std::uint32_t variable_count, std::size_t pack,
                                const std::vector<const TemplateSchema*>& among);
    // The errors of `unknown`, told by the names not checked in the rules they
    // cover (`unchecked`, of CompileEnv::only_unknown_templates).
    void say_unknown_templates(const std::vector<UnknownTemplate>& unknown, const std::vector<UncheckedName>& unchecked);
    // The names not checked (CompileEnv::only_unknown_templates) in the rules
    // compiled since the last call whose own applies-to names no unknown
    // template: their pack's applies-to is told by them.
    std::vector<UncheckedName> take_unchecked();
    // Templates of `among` for which `applies` holds in some year the template
    // covers; `pack` (compiled already) gives the params it may read.
    std::vector<const TemplateSchema*> admitted(const std::optional<program::Node>& applies,
                                                std::uint32_t variable_count, std::size_t pack,
                                                const std::vector<const TemplateSchema*>& among);
    // admitted(), where an applies-to written at `at` that admits none of `among`
    // is an error (its rules would never run); then `among`, so that the rules'
    // names are still checked against the templates, not each refused on its own.
    // `said`, when given, tells whether that error was given.
    std::vector<const TemplateSchema*> admitted_or_said(const YamlText& at, const std::optional<program::Node>& applies,
                                                        std::uint32_t variable_count, std::size_t pack,
                                                        const std::vector<const TemplateSchema*>& among,
                                                        bool* said = nullptr);
    program::CompiledRule compile_rule(const RuleDecl& d, const PackFrame& frame);
    // Whether all of `conditions` may hold for one report: for some template of
    // `among` in some year it covers (what only a report tells is taken to hold).
    bool may_hold_together(const std::vector<Condition>& conditions, const std::vector<const TemplateSchema*>& among);

private:
    program::Node compile_param_value(const YamlText& v, CompileEnv& env, Scope& scope);
    std::size_t evaluated_depth(const program::Node& n) const;
    std::size_t checked_depth(const program::Node& n, const YamlText& at, const std::string& what);
    void check_identifier(const YamlText& name, const char* what);
    // A param may not take a name of the report (year, template…); no param, let
    // or `for` variable the name of a table; no let or `for` variable a param's,
    // nor, in one rule, that of another of its variables or lets.
    // Whether param `name` (of the pack of `frame`) has the name of a param of a
    // pack it extends, which it would hide from its own rules only: said if so.
    bool hides_extended_param(const Scope& scope, const YamlText& name, const PackFrame& frame);
    bool check_clash(const Scope& scope, const YamlText& text, std::uint32_t offset, const std::string& name,
                     const char* what, bool rule_own);
    std::optional<program::Node> compile_condition(const YamlText& text, CompileEnv& env, Scope& scope,
                                                   const char* what);
    bool reads_year(const program::Node& node, std::set<std::pair<std::uint32_t, std::uint32_t>>& seen) const;
    std::vector<int> years_of(const TemplateSchema& t) const;
    std::string describe_years(const TemplateSchema& t) const;
    std::vector<int> years_to_try(const TemplateSchema& t, bool by_year) const;
    // A rule's `for` and message, parsed before any of its expressions is
    // compiled (its lets, when and check are too, by parse_expression_shared,
    // which compiling them then does not repeat).
    struct ParsedRule {
        std::vector<std::optional<std::vector<ast::Binding>>> bindings;  // nullopt: does not parse (said)
        std::vector<ast::MessagePart> message;
        std::vector<SyntaxError> message_errors;
    };
    // Parses `d`, noting in `env` the variables its quantifiers bind.
    ParsedRule parse_rule(const RuleDecl& d, CompileEnv& env);
    void compile_message(const YamlText& text, const ParsedRule& parsed, CompileEnv& env, Scope& scope,
                         program::CompiledRule& rule);
    // `written`: the placeholder's expression, as the error names it.
    void check_spec(const YamlText& text, std::uint32_t offset, const std::string& spec, const types::Type& type,
                    const std::string& written);
    void compile_bindings(const RuleDecl& d, const ParsedRule& parsed, CompileEnv& env, Scope& scope,
                          program::CompiledRule& rule);

    const TemplateCatalog& catalog_;
    const program::Program& program_;
    std::vector<RuleDiagnostic> errors_;
    Diagnostics diag_{errors_};
    std::vector<UncheckedName> unchecked_;
    names::NameIndexCache names_;
    // evaluated_depth() of the current pack's params and of the current rule's lets.
    std::map<std::uint32_t, std::vector<std::size_t>> param_depths_;
    std::vector<std::size_t> let_depths_;
};

}  // namespace gouji::rules
