// Rule packs as written: the YAML of a pack read into declarations that keep
// every text with its file position. Shape errors (unknown or missing keys,
// wrong node types, bad severity) are reported here; expressions are parsed and
// checked later (rules/rule_compiler).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/diagnostics.hpp"
#include "rules/yaml_text.hpp"

namespace gouji::rules {

struct RuleDecl {
    YamlText id, title, severity, kind, applies_to, when, check, message, basis;
    std::vector<YamlText> bindings;                    // `for`: each holds one or more bindings
    std::vector<std::pair<YamlText, YamlText>> lets;   // name, expression (in order)
    std::vector<YamlText> tags;
    SourcePos pos;       // where the rule's entry starts (its alias, when written as one)
    std::string alias;   // the anchor's name when the entry is an alias (*name) of a rule written before
};

struct OverrideDecl {
    YamlText id, severity, disabled;
    SourcePos pos;
};

struct ParamDecl {
    YamlText name;
    std::vector<YamlText> values;  // one scalar, or the items of a list
    bool is_list = false;
};

struct PackDecl {
    std::string file;  // as given, for messages
    std::shared_ptr<const SourceText> source;
    YamlText id, title, version, applies_to;
    std::vector<YamlText> extends;
    std::vector<ParamDecl> params;
    std::vector<RuleDecl> rules;
    std::vector<OverrideDecl> overrides;
    // Its YAML is invalid: this is the part before the error (load_pack).
    bool cut_short = false;
};

// Reads a pack from its text. nullopt when the YAML cannot be read at all or is
// not a pack; problems are added to `diagnostics`. Invalid YAML is read up to
// the rule (or top-level key) the error is in, when what is before it parses
// and what is after it holds nothing the rules before it read, so that the
// errors of those rules are said with it (`cut_short` is then set).
std::optional<PackDecl> load_pack(const std::string& file, std::string text, Diagnostics& diagnostics);

}  // namespace gouji::rules
