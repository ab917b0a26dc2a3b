#include "rules/expression_compiler.hpp"

#include <algorithm>
#include <type_traits>

#include "engine/eval/builtins.hpp"
#include "engine/eval/compiled_regex.hpp"
#include "grammar/parser.hpp"
#include "gouji/text.hpp"
#include "rules/names.hpp"

namespace gouji::rules {

using program::Node;
using program::Op;
using types::Kind;
using types::Type;

const Symbol* Scope::find(const std::string& name) const {
    for (auto it = symbols.rbegin(); it != symbols.rend(); ++it)
        if (it->name == name) return &*it;
    return outer ? outer->find(name) : nullptr;
}

void Scope::mark_used(const Symbol* s) {
    // The outer scope's are params and built-in names, shared by the rules
    // compiled side by side: only lets are reported unused, and they are own.
    if (!symbols.empty() && s >= symbols.data() && s < symbols.data() + symbols.size())
        symbols[static_cast<std::size_t>(s - symbols.data())].used = true;
}

std::vector<std::string> Scope::names() const {
    std::vector<std::string> out;
    each([&](const Symbol& s) { out.push_back(s.name); });
    return out;
}

void add_globals(Scope& scope) {
    struct G {
        const char* name;
        program::Global g;
        Type type;
    };
    const G globals[] = {
        {"year", program::Global::Year, Type::of(Kind::Number)},
        {"template", program::Global::Template, Type::of(Kind::String)},
        {"title", program::Global::Title, Type::of(Kind::String)},
        {"agency", program::Global::Agency, Type::of(Kind::String)},
        {"period", program::Global::Period, Type::of(Kind::Period)},
        {"published", program::Global::Published, Type::of(Kind::Date)},
        {"sections", program::Global::Sections, Type::list_of(Type::of(Kind::Section))},
        {"figures", program::Global::Figures, Type::list_of(Type::of(Kind::Figure))},
        {"lists", program::Global::Lists, Type::list_of(Type::of(Kind::FigureList))},
    };
    for (const auto& g : globals) {
        Symbol s;
        s.kind = Symbol::Kind::Global;
        s.name = g.name;
        s.global = g.g;
        s.type = g.type;
        scope.symbols.push_back(std::move(s));
    }
}

const std::string* literal_name(const Node& n) {
    if (n.op == Op::Constant && n.constant.is<std::string>()) return &n.constant.as<std::string>();
    return nullptr;
}

namespace {

Type unify(const Type& a, const Type& b) {
    if (types::is_numeric(a) && types::is_numeric(b) && !types::is_any(a) && !types::is_any(b)) return Type::of(Kind::Number);
    if (a.kind != b.kind) return Type{};
    if (a.kind == Kind::List) {
        Type e = unify(a.element_type(), b.element_type());
        return Type::list_of(e);
    }
    if (a.table != b.table) return Type::of(a.kind);
    return a;
}

bool named_kind(Kind k) {
    return k == Kind::Row || k == Kind::Column || k == Kind::Table || k == Kind::Section || k == Kind::Part;
}

bool comparable(const Type& a, const Type& b) {
    if (types::is_any(a) || types::is_any(b)) return true;
    if (types::is_numeric(a) && types::is_numeric(b)) return true;
    if (a.kind == b.kind) return true;
    if ((named_kind(a.kind) && b.kind == Kind::String) || (named_kind(b.kind) && a.kind == Kind::String)) return true;
    return false;
}

const TableSchema* table_in(const TemplateSchema& t, const std::string& id) {
    for (const auto& table : t.tables)
        if (table.id == id) return &table;
    return nullptr;
}

template <typename T>
std::string suggestion_for(const std::string& name, const std::vector<T>& items) {
    auto id = names::closest_id(name, items);
    return id ? " (did you mean '" + *id + "'?)" : std::string();
}

// A name as an error quotes it: its first 80 characters, as the other errors quote
// a pack's words. A pack may hold a name of megabytes, and the error is one line.
std::string quoted(const std::string& s) { return "'" + shortened(s, 80) + "'"; }

// Chinese words, such as a rule author means as text (整改, 落实) and YAML gave
// as a name: ideographs only.
bool looks_like_words(const std::string& name) {
    const std::u32string chars = to_u32(name);
    return !chars.empty() && std::all_of(chars.begin(), chars.end(), [](char32_t c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
               (c >= 0x20000 && c <= 0x3134F);
    });
}

// The language's own words, which other languages write capitalized (True, AND).
bool is_keyword(const std::string& word) {
    return std::find(grammar::keywords.begin(), grammar::keywords.end(), word) != grammar::keywords.end();
}

// What poisoned() made: a value in place of an expression whose error is
// reported already. What it is an operand of is not reported again.
bool is_poisoned(const Node& n) { return n.op == Op::Constant && types::is_any(n.type); }

bool any_poisoned(const std::vector<Node>& nodes) { return std::any_of(nodes.begin(), nodes.end(), is_poisoned); }

// The error of an argument that does not fit its function (or method) `name`,
// of `only_one` argument or more: "round()'s first argument must be a number, not text".
std::string argument_error(const std::string& name, bool only_one, const program::ArgumentError& error) {
    constexpr std::string_view ordinals[] = {"first", "second", "third", "fourth", "fifth",
                                             "sixth", "seventh", "eighth", "ninth"};
    std::string which = "argument " + std::to_string(error.arg + 1);
    if (only_one) which = "argument";
    else if (error.arg < std::size(ordinals)) which = std::string(ordinals[error.arg]) + " argument";
    return name + "()'s " + which + " " + error.message;
}

}  // namespace

void ExpressionCompiler::error(std::uint32_t offset, std::string message) {
    env_.diagnostics.error(text_, offset, std::move(message));
}

Node ExpressionCompiler::node(Op op, const ast::Expr& at, Type type) {
    Node n;
    n.op = op;
    n.type = std::move(type);
    n.pos = text_.position(at.offset);
    return n;
}

Node ExpressionCompiler::poisoned(const ast::Expr& at) {
    Node n = node(Op::Constant, at, Type{});
    n.constant = eval::missing_value("an expression that did not compile");
    return n;
}

std::optional<Node> ExpressionCompiler::compile_text() {
    try {
        return compile(*parse_expression_shared(text_.text));
    } catch (const SyntaxError& err) {
        syntax_error(err);
        return std::nullopt;
    }
}

void ExpressionCompiler::syntax_error(const SyntaxError& err) {
    // What the parser expected inside the label is beside the point: what the label is, is not.
    if (auto label = pasted_label(err.offset())) return error(label->first, label->second);
    error(err.offset(), err.what());
}

std::optional<std::pair<std::uint32_t, std::string>> ExpressionCompiler::pasted_label(std::uint32_t offset) {
    const std::string& text = text_.text;
    // A label runs to a blank or an ASCII operator: its own numbering is
    // full-width brackets, '、' and '.'.
    auto ends_label = [](char32_t c) {
        return c < 0x80 ? std::string_view(" \t\r\n+-*/<>=!~()[]{},:\"'").find(static_cast<char>(c)) != std::string_view::npos
                        : is_space(c);
    };
    auto name_byte = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               static_cast<unsigned char>(c) >= 0x80;
    };
    auto numbered = [](const std::string& label) {
        std::size_t i = 0;
        const char32_t c = fold_char(next_char(label, i));
        return c == U'(' || (c >= U'0' && c <= U'9') || std::u32string_view(U"一二三四五六七八九十").find(c) != std::u32string_view::npos;
    };
    std::vector<std::string> tables;
    for (const auto* t : env_.templates)
        for (const auto& table : t->tables)
            if (std::find(tables.begin(), tables.end(), table.id) == tables.end()) tables.push_back(table.id);
    for (const std::string& table : tables) {
        const std::string head = table + ".";
        for (std::size_t found = text.find(head); found != std::string::npos && found < offset; found = text.find(head, found + 1)) {
            if (found > 0 && name_byte(text[found - 1])) continue;  // the end of a longer name
            const std::size_t from = found + head.size();
            std::size_t end = from;
            for (std::size_t next = end; end < text.size(); end = next)
                if (ends_label(next_char(text, next))) break;
            if (offset < from || offset >= end) continue;
            // The label may hold a '.' (1.属于国家秘密) and be followed by '.' and a
            // column: each '.' past the error may end it, longest first.
            std::vector<std::size_t> ends{end};
            for (std::size_t dot = text.rfind('.', end - 1); dot != std::string::npos && dot > offset;
                 dot = text.rfind('.', dot - 1))
                ends.push_back(dot);
            for (const std::size_t label_end : ends) {
                const std::string label = text.substr(from, label_end - from);
                const std::string rest = text.substr(label_end, end - label_end);
                for (const auto* t : env_.templates) {
                    const TableSchema* schema = table_in(*t, table);
                    if (!schema) continue;
                    std::optional<std::string> id;
                    if (auto row = index(*schema).row(key_of(label))) id = schema->rows[*row].id;
                    const bool exact = id.has_value();
                    // Near a row's label, when it starts as a label does, with its numbering.
                    if (!id && label_end == ends.back() && numbered(label)) id = names::closest_id(label, schema->rows);
                    if (!id) continue;
                    const std::string by_id = table + "." + *id + rest;
                    const auto at = static_cast<std::uint32_t>(from);  // the label's start, not where parsing gave up in it
                    if (!exact)
                        return std::pair{at, quoted(label) + " is no row of " + table + ": rows are named by id (did you mean " +
                                                 by_id + "?)"};
                    return std::pair{at, quoted(label) + " is how the template prints row " + *id + " of " + table +
                                             ": write " + by_id + ", or the label in quotes, " + table + "[\"" + label + "\"]" + rest};
                }
            }
        }
    }
    return std::nullopt;
}

Node ExpressionCompiler::compile(const ast::Expr& e) {
    return std::visit(
        [&](const auto& n) -> Node {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, ast::Number>) {
                Node out = node(Op::Constant, e, Type::of(Kind::Number));
                out.constant = eval::Number::written(n.value, n.decimals);
                return out;
            } else if constexpr (std::is_same_v<T, ast::String>) {
                Node out = node(Op::Constant, e, Type::of(Kind::String));
                out.constant = n.value;
                return out;
            } else if constexpr (std::is_same_v<T, ast::Bool>) {
                Node out = node(Op::Constant, e, Type::of(Kind::Bool));
                out.constant = n.value;
                return out;
            } else if constexpr (std::is_same_v<T, ast::List>) {
                return compile_list(e, n);
            } else if constexpr (std::is_same_v<T, ast::Name>) {
                return compile_name(e, n);
            } else if constexpr (std::is_same_v<T, ast::Member>) {
                return compile_member(e, n);
            } else if constexpr (std::is_same_v<T, ast::Index>) {
                return compile_index(e, n);
            } else if constexpr (std::is_same_v<T, ast::Slice>) {
                return compile_slice(e, n);
            } else if constexpr (std::is_same_v<T, ast::Call>) {
                return compile_call(e, n);
            } else if constexpr (std::is_same_v<T, ast::Unary>) {
                return compile_unary(e, n);
            } else if constexpr (std::is_same_v<T, ast::Binary>) {
                return compile_binary(e, n);
            } else {
                return compile_conditional(e, n);
            }
        },
        e.node);
}

Node ExpressionCompiler::compile_list(const ast::Expr& e, const ast::List& l) {
    Node out = node(Op::ListLiteral, e, {});
    std::optional<Type> element;
    for (const auto& item : l.items) {
        out.kids.push_back(compile(item));
        const Type& t = out.kids.back().type;
        element = element ? unify(*element, t) : t;
    }
    out.type = Type::list_of(element.value_or(Type{}));
    return out;
}

names::NameIndexCache& ExpressionCompiler::names() {
    if (!env_.names) {
        owned_names_ = std::make_unique<names::NameIndexCache>();
        env_.names = owned_names_.get();
    }
    return *env_.names;
}

const names::NameIndex& ExpressionCompiler::index(const TableSchema& schema) { return names().of(schema); }

const std::string& ExpressionCompiler::key_of(const std::string& name) { return names().key(name); }

bool ExpressionCompiler::table_known(const std::string& table) const {
    return std::any_of(env_.templates.begin(), env_.templates.end(),
                       [&](const TemplateSchema* t) { return table_in(*t, table) != nullptr; });
}

Node ExpressionCompiler::compile_object(const ast::Expr& e) {
    if (const auto* n = std::get_if<ast::Name>(&e.node)) return compile_name(e, *n, true);
    return compile(e);
}

Node ExpressionCompiler::compile_name(const ast::Expr& e, const ast::Name& n, bool as_table) {
    if (const Symbol* s = scope_.find(n.name)) {
        scope_.mark_used(s);
        switch (s->kind) {
            case Symbol::Kind::Variable: {
                Node out = node(Op::Variable, e, s->type);
                out.slot = s->slot;
                return out;
            }
            case Symbol::Kind::Let: {
                Node out = node(Op::Let, e, s->type);
                out.slot = s->slot;
                out.names_template = s->holds_template;
                out.names_cell = s->holds_cell;
                return out;
            }
            case Symbol::Kind::Param: {
                Node out = node(Op::Param, e, s->type);
                out.slot = s->slot;
                out.param_pack = s->pack;
                out.name = s->name;
                out.names_template = s->holds_template;
                if (s->text) out.constant = *s->text;  // checked where it is a pattern
                // Checked where they are compared with `template`.
                if (!s->texts.empty()) {
                    std::vector<eval::Value> texts(s->texts.begin(), s->texts.end());
                    out.constant = eval::make_list(std::move(texts));
                }
                return out;
            }
            case Symbol::Kind::Global: {
                Node out = node(Op::Global, e, s->type);
                out.global = s->global;
                return out;
            }
        }
    }
    auto table_of = [&](const TemplateSchema& t) { return table_in(t, n.name) != nullptr; };
    auto nearest_table = [&](const TemplateSchema& t) { return names::closest_id(n.name, t.tables).value_or(""); };
    if (table_known(n.name)) {
        // Not put off, as it is known; noted for a template of the catalog that lacks it.
        (void)put_off("table " + n.name, e.offset, table_of, nearest_table);
        if (std::find(env_.tables.begin(), env_.tables.end(), n.name) == env_.tables.end()) env_.tables.push_back(n.name);
        Node out = node(Op::Table, e, Type::table_type(Kind::Table, n.name));
        out.name = n.name;
        return out;
    }
    if (!env_.declaring.empty() && n.name == env_.declaring) {
        const std::string kind = env_.declared_later_kind;
        error(e.offset, kind + " " + quoted(n.name) + " cannot use itself: it is worked out once, from the " + kind +
                            "s above it" + (kind == "let" ? ", the params" : "") +
                            " and the report (give what it builds on a name of its own)");
        return poisoned(e);
    }
    if (std::find(env_.declared_later.begin(), env_.declared_later.end(), n.name) != env_.declared_later.end()) {
        env_.used_too_early.push_back(n.name);
        const std::string kind = env_.declared_later_kind;
        if (kind == "`for` variable") {
            error(e.offset, kind + " " + quoted(n.name) + " is bound after this one: a `for` list can use only the "
                                "variables bound before it (move '" + n.name + " in …' up)");
            return poisoned(e);
        }
        error(e.offset, kind + " " + quoted(n.name) + " is declared below this one: a " + kind + " can use only the " +
                            kind + "s above it (move " + quoted(n.name) + " up)");
        return poisoned(e);
    }
    // all(p in l.parts, …) in the check, and p in the message.
    for (const auto& q : env_.quantifier_variables)
        if (q.name == n.name) {
            error(e.offset, bound_elsewhere(n.name, q));
            return poisoned(e);
        }
    // A param of the pack that could not be found, maybe: its extends entry is the error.
    if (env_.names_may_be_inherited && !n.name.starts_with("表")) return poisoned(e);
    std::vector<std::string> candidates = scope_.names();
    for (const auto* t : env_.templates)
        for (const auto& table : t->tables) candidates.push_back(table.id);
    const std::optional<std::string> meant = names::closest(n.name, candidates);
    if (as_table && !(meant && scope_.find(*meant)) && put_off("table " + n.name, e.offset, table_of, nearest_table))
        return poisoned(e);
    std::string hint = meant ? " (did you mean '" + *meant + "'?)" : "";
    // `tota` for the let `total`: that the let is then unused is this error again,
    // and said first (it is declared above its use) it would hide the cause.
    if (meant)
        if (const Symbol* s = scope_.find(*meant)) scope_.mark_used(s);
    if (hint.empty() && !as_table && looks_like_words(n.name)) hint = text_hint(n.name);
    // 表3 is 表三 in Arabic digits, whatever the edit distance says (表二 is as near).
    if (const std::string spelt = names::with_chinese_numerals(n.name);
        spelt != n.name && std::find(candidates.begin(), candidates.end(), spelt) != candidates.end())
        hint = " (did you mean '" + spelt + "'?)";
    if (as_table && !env_.metadata_only && hint.empty())
        if (std::string where = templates_with_table(n.name); !where.empty()) {
            error(e.offset, "table " + quoted(n.name) + " is not in " + where);
            return poisoned(e);
        }
    if (env_.metadata_only && hint.empty())
        hint = " (applies-to can use year, template, title, agency, period, published and params; params can also use "
               "sections, figures and lists; neither can use tables)";
    else if (hint.empty() && env_.templates.empty())
        hint = " (no template of the catalog is one this rule applies to)";
    else if (hint.empty())
        hint = " (" + what_a_name_is() + ")";
    if (program::builtin_exists(n.name)) hint = " (" + n.name + " is a function: " + program::builtin_usage(n.name) + ")";
    if (const std::string word = ascii_lower(n.name); word != n.name && is_keyword(word))
        hint = " (write '" + word + "': the language's words are lower case)";
    // Close to a variable (one of the rule's, or one a quantifier binds), it is
    // a name misspelt or read out of its scope, whatever follows it: not a table.
    std::vector<std::string> bound_inside;
    for (const auto& q : env_.quantifier_variables) bound_inside.push_back(q.name);
    const bool a_variable = (meant && scope_.find(*meant)) || names::closest(n.name, bound_inside);
    error(e.offset, std::string(as_table && !env_.metadata_only && !a_variable ? "unknown table " : "unknown name ") +
                        quoted(n.name) + hint);
    return poisoned(e);
}

std::string ExpressionCompiler::what_a_name_is() const {
    std::vector<std::string> tables, globals;
    for (const auto* t : env_.templates)
        for (const auto& table : t->tables)
            if (std::find(tables.begin(), tables.end(), table.id) == tables.end()) tables.push_back(table.id);
    scope_.each([&](const Symbol& s) {
        if (s.kind == Symbol::Kind::Global) globals.push_back(s.name);
    });
    auto joined = [](const std::vector<std::string>& words) {
        std::string out;
        for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
        return out;
    };
    return "a name is a table" + (tables.empty() ? std::string() : ": " + joined(tables)) +
           "; a param of the pack; a let or for variable of the rule; or one of the report's: " + joined(globals);
}

std::string ExpressionCompiler::text_hint(const std::string& name) const {
    // Quotes would make the placeholder show the words, which the message can
    // hold as they are.
    if (message_)
        return " (a message's own words go outside the braces: write " + name + " without {}; in them, name a let, a "
               "for variable or a param)";
    const std::string text = "\"" + name + "\"";
    // A param's value in YAML quotes is text; any other expression's is not.
    if (std::string_view(env_.declared_later_kind) == "param")
        return " (a param in quotes is text: " + text + ")";
    if (trim_view(text_.text) != name) return " (to write text, put it in quotes: " + text + ")";
    if (text_.quoted)
        return " (YAML's quotes make a param text, not a let or a check: write '" + text +
               "', the text's quotes inside the YAML value's)";
    return " (to write text, put it in quotes inside the YAML value's: '" + text + "')";
}

std::string ExpressionCompiler::templates_with_table(const std::string& table) const {
    if (!env_.catalog || env_.templates.empty()) return "";
    std::vector<std::string> having;
    for (const auto& t : env_.catalog->templates)
        if (t.table(table)) having.push_back(t.id);
    if (having.empty()) return "";
    auto joined = [](const std::vector<std::string>& words) {
        std::string out;
        for (std::size_t i = 0; i < words.size(); ++i) out += (i == 0 ? "" : i + 1 == words.size() ? " and " : ", ") + words[i];
        return out;
    };
    std::vector<std::string> admitted;
    for (const auto* t : env_.templates) {
        std::vector<std::string> tables;
        for (const auto& own : t->tables) tables.push_back(own.id);
        admitted.push_back(t->id + " (" + (tables.empty() ? "no tables" : "tables: " + joined(tables)) + ")");
    }
    return joined(admitted) + (admitted.size() == 1 ? ", the only template" : ", the templates") +
           " this rule applies to; " + joined(having) + (having.size() == 1 ? " has" : " have") + " it";
}

namespace {

// For each template that has `table`: whether `found` holds; reports the templates lacking it.
struct PerTemplate {
    std::vector<const TemplateSchema*> lacking;
    std::vector<const TemplateSchema*> having;
    std::size_t with_table = 0;
};

template <typename Found>
PerTemplate per_template(const std::vector<const TemplateSchema*>& templates, const std::string& table, Found found) {
    PerTemplate out;
    for (const auto* t : templates) {
        const TableSchema* schema = table_in(*t, table);
        if (!schema) continue;
        ++out.with_table;
        (found(*schema) ? out.having : out.lacking).push_back(t);
    }
    return out;
}

// " of template gov-2019": the templates lacking a name, when some have it. Under
// CompileEnv::known_too, those of `known_too` lacking it, which the rule runs on
// (the others may lack it).
std::string in_templates(const PerTemplate& p, const std::vector<const TemplateSchema*>& known_too) {
    std::string list;
    for (const auto* t : p.lacking)
        if (known_too.empty() ? p.lacking.size() < p.with_table
                              : std::find(known_too.begin(), known_too.end(), t) != known_too.end())
            list += (list.empty() ? "" : ", ") + t->id;
    return list.empty() ? "" : " of template " + list;
}

// "; gov-2021 has it (…)": a name of one template written in a rule that runs on
// another's reports too is most often a rule meant for that template alone, not a
// typo (表二.规章.本年制发件数 is a 2021 column); the did-you-mean would mislead.
std::string others_have_it(const PerTemplate& p) {
    if (p.having.empty()) return "";
    std::string ids, condition;
    for (const auto* t : p.having) {
        ids += (ids.empty() ? "" : ", ") + t->id;
        condition += (condition.empty() ? "template == \"" : " or template == \"") + t->id + "\"";
    }
    return "; " + ids + (p.having.size() == 1 ? " has it" : " have it") + " (a rule for " +
           (p.having.size() == 1 ? "that template's" : "those templates'") + " reports says so: applies-to: " + condition +
           ")";
}

}  // namespace

namespace {

// Did-you-mean among a schema list's ids and, for a bare identifier, the variables
// in scope; after a '.', the members of the value's kind too.
template <typename T>
std::string suggestion_with_variables(const std::string& name, const std::vector<T>& items, const Scope* scope,
                                      types::Kind member_of) {
    std::vector<std::string> candidates;
    for (const auto& i : items) candidates.push_back(i.id);
    if (member_of != types::Kind::Any)
        for (const auto& m : program::member_names(member_of)) candidates.push_back(m);
    if (scope)
        scope->each([&](const Symbol& s) {
            if (s.kind != Symbol::Kind::Global) candidates.push_back(s.name);
        });
    auto best = names::closest(name, candidates);
    if (!best) return suggestion_for(name, items);
    return " (did you mean '" + *best + "'?)";
}

}  // namespace

template <typename Has, typename Nearest>
bool ExpressionCompiler::put_off(const std::string& what, std::uint32_t offset, Has has, Nearest nearest,
                                 bool known_lack) {
    if (!env_.only_unknown_templates && env_.known_too.empty()) return false;
    if (env_.unchecked && env_.catalog) {
        UncheckedName name{what, text_.position(offset), {}};
        for (const auto& t : env_.catalog->templates)
            if (!has(t)) name.lacking.emplace_back(t.id, nearest(t));
        if (!name.lacking.empty()) env_.unchecked->push_back(std::move(name));
    }
    return env_.only_unknown_templates || !known_lack;
}

template <typename Has, typename Nearest>
bool ExpressionCompiler::put_off_in(const std::string& table, const std::string& what, std::uint32_t offset, Has has,
                                    Nearest nearest) {
    const bool known_lack = std::any_of(env_.known_too.begin(), env_.known_too.end(), [&](const TemplateSchema* t) {
        const TableSchema* s = table_in(*t, table);
        return s && !has(*s);
    });
    return put_off(
        what, offset,
        [&](const TemplateSchema& t) {
            const TableSchema* s = table_in(t, table);
            return s && has(*s);
        },
        [&](const TemplateSchema& t) {
            const TableSchema* s = table_in(t, table);
            return s ? nearest(*s) : std::string();
        },
        known_lack);
}

bool ExpressionCompiler::near_a_variable(const std::string& name) const {
    std::vector<std::string> candidates;
    scope_.each([&](const Symbol& s) {
        if (s.kind != Symbol::Kind::Global) candidates.push_back(s.name);
    });
    return names::closest(name, candidates).has_value();
}

bool ExpressionCompiler::set_aside(const std::vector<const TemplateSchema*>& lacking, std::size_t with_table,
                                   const std::string& reason) {
    // Only a template based on another, and only when some template the rule
    // admits has the name: a name no template has is a mistake in the rule, and a
    // template of its own (not based on one) gets the rules that name it, which
    // should name what it has. A local copy of a template (based on its own id)
    // took out what the standard rules, written for the one it replaces, read: they
    // are set aside for it, whatever else they admit (env_.standard_pack).
    if (!env_.set_aside) return false;
    const bool local_copies = env_.standard_pack && std::all_of(lacking.begin(), lacking.end(),
                                                                [](const TemplateSchema* t) { return t->local_copy; });
    if (lacking.size() == with_table && !local_copies) return false;
    for (const auto* t : lacking)
        if (t->based_on.empty() && !(local_copies && t->local_copy)) return false;
    for (const auto* t : lacking) {
        auto& aside = *env_.set_aside;
        if (std::none_of(aside.begin(), aside.end(), [&](const program::SetAside& a) { return a.template_id == t->id; }))
            aside.push_back({t->id, reason});
    }
    return true;
}

bool ExpressionCompiler::check_row(const std::string& table, const std::string& name, std::uint32_t offset, bool variables,
                                   types::Kind member_of) {
    const std::string& key = key_of(name);
    auto p = per_template(env_.templates, table, [&](const TableSchema& s) { return index(s).row(key).has_value(); });
    if (p.lacking.empty() || (env_.applies_unsure && p.lacking.size() < p.with_table)) return true;
    if (!(variables && near_a_variable(name)) &&
        put_off_in(table, "row " + quoted(name) + " of " + table, offset,
                   [&](const TableSchema& s) { return index(s).row(key).has_value(); },
                   [&](const TableSchema& s) { return names::closest_id(name, s.rows).value_or(""); }))
        return true;
    if (set_aside(p.lacking, p.with_table, table + " has no row " + quoted(name))) return true;
    const TableSchema* schema = table_in(*p.lacking.front(), table);
    // 表三.不予公开 names the heading of a group the report prints as if a row
    // (and in 2021 其他处理 is one, its item 3.其他 a row near in spelling).
    if (index(*schema).group(key) || index(*schema).row_group(key)) {
        const std::string group = table + ".group(\"" + name + "\")";
        const std::string column = schema->columns.empty() ? "总计" : schema->columns.back().id;
        error(offset, quoted(name) + " in " + table + in_templates(p, env_.known_too) + " is a group of rows, not a row: its rows are " + group +
                          " (its " + column + ": sum(r in " + group + ", r." + column + "))" + others_have_it(p));
        return false;
    }
    // 表三.自然人: a column's name where a row is meant.
    if (index(*schema).column(key) && p.lacking.size() == p.with_table) {
        const std::string row = schema->rows.empty() ? "本年新收" : schema->rows.front().id;
        error(offset, quoted(name) + " is a column of " + table + in_templates(p, env_.known_too) + ", not a row (the column is " +
                          table + ".column(\"" + name + "\"); its cell in a row is " + table + "." + row + "." + name +
                          ", or r." + name + " for a row r)");
        return false;
    }
    // 表三.colums: a table's members are the likelier meaning of a word after it.
    std::string what = variables ? "unknown row or variable " : member_of == Kind::Table ? "unknown row or member " : "unknown row ";
    // 表三.逾期不不补正 where only one template has 逾期不补正: that one suggests it.
    std::string hint = others_have_it(p);
    for (const auto* t : p.lacking)
        if (hint.empty()) hint = suggestion_with_variables(name, table_in(*t, table)->rows, variables ? &scope_ : nullptr, member_of);
    error(offset, what + quoted(name) + " in " + table + in_templates(p, env_.known_too) + hint);
    return false;
}

bool ExpressionCompiler::check_column(const std::string& table, const std::string& name, std::uint32_t offset,
                                      bool variables, types::Kind member_of) {
    const std::string& key = key_of(name);
    auto p = per_template(env_.templates, table, [&](const TableSchema& s) { return index(s).column(key).has_value(); });
    if (p.lacking.empty() || (env_.applies_unsure && p.lacking.size() < p.with_table)) return true;
    if (!(variables && near_a_variable(name)) &&
        put_off_in(table, "column " + quoted(name) + " of " + table, offset,
                   [&](const TableSchema& s) { return index(s).column(key).has_value(); },
                   [&](const TableSchema& s) { return names::closest_id(name, s.columns).value_or(""); }))
        return true;
    if (set_aside(p.lacking, p.with_table, table + " has no column " + quoted(name))) return true;
    // r.本年新收: a row's name where a column is meant.
    if (const TableSchema* schema = table_in(*p.lacking.front(), table);
        schema && index(*schema).row(key) && p.lacking.size() == p.with_table) {
        const std::string column = schema->columns.empty() ? "总计" : schema->columns.back().id;
        error(offset, quoted(name) + " is a row of " + table + in_templates(p, env_.known_too) + ", not a column (the row is " +
                          table + "." + name + "; its cell in a column is " + table + "." + name + "." + column +
                          ", or " + table + "." + name + "[c] for a column c)");
        return false;
    }
    std::string hint;
    for (const auto* t : p.lacking)
        if (hint.empty()) hint = suggestion_with_variables(name, table_in(*t, table)->columns, variables ? &scope_ : nullptr, member_of);
    // 行.colums: a row's members are the likelier meaning of a word near one of them.
    const auto members = program::member_names(member_of);
    const bool member = member_of != Kind::Any && std::any_of(members.begin(), members.end(), [&](const std::string& m) {
        return hint == " (did you mean " + quoted(m) + "?)";
    });
    std::string what = variables ? "unknown column or variable " : member ? "unknown column or member " : "unknown column ";
    if (std::string others = others_have_it(p); !others.empty()) hint = others;
    error(offset, what + quoted(name) + " in " + table + in_templates(p, env_.known_too) + hint);
    return false;
}

void ExpressionCompiler::check_cell(const std::string& table, const std::string& row, const std::string& column,
                                    std::uint32_t offset) {
    const std::string& row_key = key_of(row);
    const std::string& column_key = key_of(column);
    auto p = per_template(env_.templates, table, [&](const TableSchema& s) {
        auto r = index(s).row(row_key);
        auto c = index(s).column(column_key);
        return !r || !c || names::row_has_column(s, *r, *c);  // unknown names are reported on their own
    });
    if (p.lacking.empty() || (env_.applies_unsure && p.lacking.size() < p.with_table)) return;
    if (put_off_in(
            table, "column " + quoted(column) + " of row " + quoted(row) + " of " + table, offset,
            [&](const TableSchema& s) {
                auto r = index(s).row(row_key);
                auto c = index(s).column(column_key);
                return r && c && names::row_has_column(s, *r, *c);
            },
            [](const TableSchema&) { return std::string(); }))
        return;
    if (set_aside(p.lacking, p.with_table, "row " + quoted(row) + " of " + table + " has no column " + quoted(column))) return;
    error(offset, "row " + quoted(row) + " of " + table + " has no column " + quoted(column) + in_templates(p, env_.known_too) +
                      " (the column belongs to another block)");
}

void ExpressionCompiler::check_group(const std::string& table, const std::string& name, std::uint32_t offset) {
    const std::string& key = key_of(name);
    auto p = per_template(env_.templates, table, [&](const TableSchema& s) {
        return index(s).group(key).has_value() || index(s).row_group(key);
    });
    if (p.lacking.empty() || (env_.applies_unsure && p.lacking.size() < p.with_table)) return;
    auto groups_of = [](const TableSchema& s) {
        std::vector<std::string> out;
        for (const auto& g : s.groups) out.push_back(g.id);
        for (const auto& r : s.rows)
            if (!r.group.empty()) out.push_back(r.group);
        return out;
    };
    if (put_off_in(
            table, "row group " + quoted(name) + " of " + table, offset,
            [&](const TableSchema& s) { return index(s).group(key).has_value() || index(s).row_group(key); },
            [&](const TableSchema& s) { return names::closest(name, groups_of(s)).value_or(""); }))
        return;
    if (set_aside(p.lacking, p.with_table, table + " has no row group " + quoted(name))) return;
    const std::string others = others_have_it(p);
    error(offset, "unknown row group " + quoted(name) + " in " + table + in_templates(p, env_.known_too) +
                      (others.empty() ? names::did_you_mean(name, groups_of(*table_in(*p.lacking.front(), table))) : others));
}

void ExpressionCompiler::check_section_name(const std::string& name, std::uint32_t offset) {
    // A name far from every template section may be a title word matched at run
    // time; only a near miss is surely a typo.
    const std::string& key = key_of(name);
    std::vector<std::string> candidates;
    for (const auto* t : env_.templates) {
        for (const auto& sec : t->sections) {
            if (key_of(sec.id) == key || key_of(sec.label) == key) return;
            for (const auto& a : sec.aliases)
                if (key_of(a) == key) return;
        }
        for (const auto& s : t->sections) {
            candidates.push_back(s.id);
            candidates.push_back(key_of(s.label));
            for (const auto& a : s.aliases) candidates.push_back(key_of(a));
        }
    }
    std::string hint = names::did_you_mean(name, candidates);
    if (hint.empty()) return;
    auto has = [&](const TemplateSchema& t) {
        return std::any_of(t.sections.begin(), t.sections.end(), [&](const SectionSchema& sec) {
            return key_of(sec.id) == key || key_of(sec.label) == key ||
                   std::any_of(sec.aliases.begin(), sec.aliases.end(), [&](const std::string& a) { return key_of(a) == key; });
        });
    };
    if (put_off("section " + quoted(name), offset, has,
                [&](const TemplateSchema& t) { return names::closest_id(name, t.sections).value_or(""); }))
        return;
    error(offset, "unknown section " + quoted(name) + hint);
}

namespace {

using program::is_template;

// Where the characters of a string literal start, from where its expression
// does: a literal's expression starts after its opening quote, one in
// parentheses at the parenthesis.
std::uint32_t literal_content_start(std::string_view text, std::uint32_t offset) {
    constexpr std::string_view quotes[] = {"\"", "'", "\u201C"};
    for (std::string_view quote : quotes)
        if (text.substr(0, offset).ends_with(quote)) return offset;
    while (offset < text.size() && (text[offset] == '(' || text[offset] == ' ')) ++offset;
    for (std::string_view quote : quotes)
        if (text.substr(offset).starts_with(quote)) return offset + static_cast<std::uint32_t>(quote.size());
    return offset;
}

}  // namespace

std::string unknown_template_error(const UnknownTemplate& unknown, const TemplateCatalog& catalog,
                                   const std::vector<UncheckedName>& unchecked) {
    std::vector<std::string> ids;
    for (const auto& t : catalog.templates) ids.push_back(t.id);
    std::string known;
    for (const auto& id : ids) known += (known.empty() ? "" : ", ") + id;
    const std::string head = unknown.via + "unknown template " + quoted(unknown.id);
    const std::optional<std::string> nearest = names::closest(unknown.id, ids);
    // The nearest id is a fix only if it has what the rules read: 'gov-2027'
    // for a 2027 form whose rows gov-2021 lacks is no misspelt 'gov-2021'.
    if (nearest)
        for (const auto& name : unchecked)
            for (const auto& [id, near] : name.lacking) {
                if (id != *nearest) continue;
                return head + ": no report has it (known: " + known + "); the rules read " + name.what + " (line " +
                       std::to_string(name.pos.line) + "), which " + id + ", the nearest id, lacks" +
                       (near.empty() ? "" : " (it has " + quoted(near) + ")") + ": give the file that declares " +
                       unknown.id + " with --templates (the names the rules read are checked against it then)";
            }
    return head + names::did_you_mean(unknown.id, ids) + ": no report has it (known: " + known + "; add one with --templates)";
}

void ExpressionCompiler::check_template_names(const Node& other, const ast::Expr& other_expr) {
    if (!env_.catalog) return;
    std::vector<std::string> ids;
    for (const auto& t : env_.catalog->templates) ids.push_back(t.id);
    auto check = [&](const eval::Value& v, std::uint32_t offset, const std::string& via) {
        const auto* text = std::get_if<std::string>(&v.v);
        if (!text || std::find(ids.begin(), ids.end(), *text) != ids.end()) return;
        UnknownTemplate unknown{*text, via, &text_, offset};
        if (env_.unknown_templates)
            env_.unknown_templates->push_back(std::move(unknown));
        else
            error(offset, unknown_template_error(unknown, *env_.catalog, {}));
    };
    if (other.op == Op::Constant) return check(other.constant, other_expr.offset, "");
    if (other.op == Op::ListLiteral) {
        const auto* items = std::get_if<ast::List>(&other_expr.node);
        for (std::size_t i = 0; i < other.kids.size(); ++i)
            if (other.kids[i].op == Op::Constant)
                check(other.kids[i].constant, items && i < items->items.size() ? items->items[i].offset : other_expr.offset, "");
        return;
    }
    if (other.op == Op::Param && other.constant.is<eval::List>())
        for (const auto& v : *other.constant.as<eval::List>())
            check(v, other_expr.offset, "param '" + other.name + "' names an ");
    if (other.op == Op::Param && other.constant.is<std::string>())
        check(other.constant, other_expr.offset, "param '" + other.name + "' names an ");
}

Node ExpressionCompiler::compile_member(const ast::Expr& e, const ast::Member& m) {
    Node object = compile_object(*m.object);
    if (m.args) return compile_method(e, m, std::move(object));
    const Type ot = object.type;
    auto with_object = [&](Op op, Type type) {
        Node out = node(op, e, std::move(type));
        out.name = m.name;
        out.key = key_of(m.name);
        out.kids.push_back(std::move(object));
        return out;
    };
    if (types::is_any(ot)) return with_object(Op::Member, Type{});  // resolved at run time
    if (const auto* def = program::find_member(ot.kind, m.name, false)) {
        program::ArgumentError err;
        Type t = def->type(ot, {}, err);
        Node out = with_object(Op::Member, t);
        out.member = def;
        return out;
    }
    switch (ot.kind) {
        // An unknown name gives one error: the expression it was in is not checked further.
        case Kind::Table:
            if (!check_row(ot.table, m.name, m.name_offset, false, Kind::Table)) return poisoned(e);
            return with_object(Op::NamedRow, Type::table_type(Kind::Row, ot.table, m.name));
        case Kind::Row:
            if (!check_column(ot.table, m.name, m.name_offset, false, Kind::Row)) return poisoned(e);
            if (!ot.row.empty()) check_cell(ot.table, ot.row, m.name, m.name_offset);
            return with_object(Op::NamedCell, Type::of(Kind::Number));
        case Kind::Column:
            if (!check_row(ot.table, m.name, m.name_offset, false, Kind::Column)) return poisoned(e);
            return with_object(Op::NamedCell, Type::of(Kind::Number));
        default: break;
    }
    auto members = program::member_names(ot.kind);
    if (members.empty())
        error(m.name_offset, quoted("." + m.name) + " cannot be used on " + types::describe(ot));
    else
        error(m.name_offset, "unknown member " + quoted(m.name) + " of " + types::describe(ot) + names::did_you_mean(m.name, members));
    return poisoned(e);
}

Node ExpressionCompiler::compile_method(const ast::Expr& e, const ast::Member& m, Node object) {
    const Type ot = object.type;
    std::vector<Node> args;
    std::vector<Type> arg_types;
    for (const auto& a : *m.args) {
        args.push_back(compile(a));
        arg_types.push_back(args.back().type);
    }
    if (types::is_any(ot)) {
        if (!is_poisoned(object))
            error(m.name_offset, "cannot call " + quoted(m.name + "()") + " on a value whose type is not known here");
        return poisoned(e);
    }
    const auto* def = program::find_member(ot.kind, m.name, true);
    if (!def) {
        std::vector<std::string> methods;
        for (const auto& n : program::member_names(ot.kind))
            if (program::find_member(ot.kind, n, true)) methods.push_back(n);
        error(m.name_offset, "unknown method " + quoted(m.name) + " of " + types::describe(ot) + names::did_you_mean(m.name, methods));
        return poisoned(e);
    }
    if (static_cast<int>(args.size()) != def->arity) {
        error(m.name_offset, quoted(m.name) + " takes " + std::to_string(def->arity) + " argument" + (def->arity == 1 ? "" : "s"));
        return poisoned(e);
    }
    program::ArgumentError err;
    Type t = def->type(ot, arg_types, err);
    if (!err.empty()) {
        if (!any_poisoned(args)) error((*m.args)[err.arg].offset, argument_error(m.name, def->arity == 1, err));
        return poisoned(e);
    }
    if (ot.kind == Kind::Table && !args.empty()) {
        if (const std::string* lit = literal_name(args[0])) {
            std::uint32_t at = (*m.args)[0].offset;
            if (m.name == "group") check_group(ot.table, *lit, at);
            if (m.name == "row") check_row(ot.table, *lit, at);
            if (m.name == "column") check_column(ot.table, *lit, at);
            if (m.name == "row") t.row = *lit;
        }
    }
    Node out = node(Op::Member, e, t);
    out.member = def;
    out.name = m.name;
    out.kids.reserve(1 + args.size());
    out.kids.push_back(std::move(object));
    for (auto& a : args) out.kids.push_back(std::move(a));
    return out;
}

Node ExpressionCompiler::compile_name_operand(const ast::Expr& e) {
    if (const auto* n = std::get_if<ast::Name>(&e.node)) {
        if (!scope_.find(n->name)) {
            Node out = node(Op::Constant, e, Type::of(Kind::String));
            out.constant = n->name;
            return out;
        }
    }
    return compile(e);
}

Node ExpressionCompiler::compile_index(const ast::Expr& e, const ast::Index& ix) {
    Node object = compile_object(*ix.object);
    Node index = compile_name_operand(*ix.index);
    const Type ot = object.type, it = index.type;
    const std::string* lit = literal_name(index);
    std::uint32_t at = ix.index->offset;
    Type result;
    bool ok = true;
    auto same_table = [&](const Type& t) { return t.table.empty() || ot.table.empty() || t.table == ot.table; };
    switch (ot.kind) {
        case Kind::Any: break;
        case Kind::Table:
            if (it.kind == Kind::Column && same_table(it)) {
                result = Type::table_type(Kind::Column, ot.table);
            } else if ((it.kind == Kind::Row && same_table(it)) || types::is_text(it)) {
                result = Type::table_type(Kind::Row, ot.table, lit ? *lit : it.row);
                if (lit) check_row(ot.table, *lit, at, bare_name(*ix.index));
            } else {
                ok = false;
            }
            break;
        case Kind::Row:
            if ((it.kind == Kind::Column && same_table(it)) || types::is_text(it)) {
                result = Type::of(Kind::Number);
                if (lit) {
                    check_column(ot.table, *lit, at, bare_name(*ix.index));
                    if (!ot.row.empty()) check_cell(ot.table, ot.row, *lit, at);
                }
            } else {
                ok = false;
            }
            break;
        case Kind::Column:
            if ((it.kind == Kind::Row && same_table(it)) || types::is_text(it)) {
                result = Type::of(Kind::Number);
                if (lit) check_row(ot.table, *lit, at, bare_name(*ix.index));
            } else {
                ok = false;
            }
            break;
        case Kind::List:
            if (types::is_numeric(it) || types::is_text(it) || named_kind(it.kind))
                result = ot.element_type();
            else
                ok = false;
            if (lit && result.kind == Kind::Column) check_column(result.table, *lit, at, bare_name(*ix.index));
            if (lit && result.kind == Kind::Row) check_row(result.table, *lit, at, bare_name(*ix.index));
            break;
        default: ok = false;
    }
    if (!ok) {
        error(at, "cannot index " + types::describe(ot) + " with " + types::describe(it));
        return poisoned(e);
    }
    check_capture_group(object, index, at);
    Node out = node(Op::Index, e, result);
    out.kids.reserve(2);
    out.kids.push_back(std::move(object));
    out.kids.push_back(std::move(index));
    return out;
}

void ExpressionCompiler::check_capture_group(const Node& object, const Node& index, std::uint32_t offset) {
    // A group the pattern does not have is missing in every report: the rule
    // would be "not assessable" everywhere and never fire.
    if (object.op != Op::Call || object.name != "captures" || !object.regex) return;
    if (index.op != Op::Constant || !index.constant.is<eval::Number>()) return;
    const auto& n = index.constant.as<eval::Number>();
    if (n.decimals != 0 || n.value < 1) return;
    UErrorCode status = U_ZERO_ERROR;
    const std::unique_ptr<icu::RegexMatcher> matcher(object.regex->icu().matcher(status));
    if (U_FAILURE(status) || !matcher) return;
    const std::int32_t groups = matcher->groupCount();
    if (n.value <= groups) return;
    const std::string wanted = "[" + std::to_string(static_cast<long long>(n.value)) + "]";
    const std::string has = groups == 0   ? "has no group ([0] is the whole match; put ( ) around what to capture)"
                            : groups == 1 ? "has only 1 group ([0] is the whole match, [1] the group)"
                                          : "has only " + std::to_string(groups) + " groups ([0] is the whole match, [1] to [" +
                                                std::to_string(groups) + "] the groups)";
    error(offset, "captures(…)" + wanted + " is never there: its pattern " + has);
}

bool ExpressionCompiler::slice_of_columns(const ast::Slice& s, const std::optional<Node> (&bounds)[2], const std::string& table) {
    // 表三.rows[自然人:其他]: each bound named is a column of the table in every
    // template that has it, and one of them is a row in none.
    std::vector<std::string> names;
    bool some_never_a_row = false;
    for (const auto& b : bounds) {
        if (!b) continue;
        const std::string* lit = literal_name(*b);
        if (!lit) return false;
        const std::string& key = key_of(*lit);
        bool with_table = false, row = false;
        for (const auto* t : env_.templates)
            if (const TableSchema* schema = table_in(*t, table)) {
                with_table = true;
                if (!index(*schema).column(key)) return false;
                row = row || index(*schema).row(key).has_value();
            }
        if (!with_table) return false;
        some_never_a_row = some_never_a_row || !row;
        names.push_back(*lit);
    }
    if (names.empty() || !some_never_a_row) return false;
    const std::string range = (s.from ? *literal_name(*bounds[0]) : "") + ":" + (s.to ? *literal_name(*bounds[1]) : "");
    const std::string are = names.size() == 2 ? quoted(names[0]) + " and " + quoted(names[1]) + " are columns"
                                              : quoted(names[0]) + " is a column";
    error((s.from ? s.from : s.to)->offset, are + " of " + table + ", not rows: write " + table + ".columns[" + range +
                                                "] for the columns, or r[" + range + "] for the cells of a row r (r in " +
                                                table + ".rows)");
    return true;
}

Node ExpressionCompiler::compile_slice(const ast::Expr& e, const ast::Slice& s) {
    Node object = compile_object(*s.object);
    const Type ot = object.type;
    Node out = node(Op::Slice, e, {});
    out.kids.push_back(std::move(object));
    // A bound named in the table: whether it names a column, in which table, and its key.
    struct Named {
        bool column = false;
        std::string table, key, name;
        bool known = false;
    };
    std::optional<Named> named[2];
    const Type element = ot.kind == Kind::List ? ot.element_type() : Type{};
    std::optional<Node> bounds[2];
    for (int i = 0; i < 2; ++i)
        if (const ast::ExprPtr& b = i == 0 ? s.from : s.to) bounds[i] = compile_name_operand(*b);
    const bool columns_as_rows = (ot.kind == Kind::Table || element.kind == Kind::Row) &&
                                 slice_of_columns(s, bounds, element.kind == Kind::Row ? element.table : ot.table);
    auto bound = [&](const ast::ExprPtr& b, std::optional<Node>& compiled, bool& has, std::optional<Named>& as_named) {
        if (!b) return;
        has = true;
        Node n = std::move(*compiled);
        if (!types::is_numeric(n.type) && !types::is_text(n.type) && !named_kind(n.type.kind))
            error(b->offset, "a slice bound is a position or a name, not " + types::describe(n.type));
        if (const std::string* lit = literal_name(n); lit && !columns_as_rows) {
            bool bare = bare_name(*b);
            if (ot.kind == Kind::Row || element.kind == Kind::Column) {
                const std::string& table = ot.kind == Kind::Row ? ot.table : element.table;
                as_named = Named{true, table, key_of(*lit), *lit, check_column(table, *lit, b->offset, bare)};
            }
            if (ot.kind == Kind::Column || ot.kind == Kind::Table || element.kind == Kind::Row) {
                const std::string& table = element.kind == Kind::Row ? element.table : ot.table;
                as_named = Named{false, table, key_of(*lit), *lit, check_row(table, *lit, b->offset, bare)};
            }
        }
        out.kids.push_back(std::move(n));
    };
    bound(s.from, bounds[0], out.has_from, named[0]);
    bound(s.to, bounds[1], out.has_to, named[1]);
    if (columns_as_rows) return poisoned(e);  // said once: not again as the type of what takes the slice
    // Named bounds in the wrong order give an empty slice, whose sum is a silent 0.
    if (named[0] && named[1] && named[0]->known && named[1]->known && named[0]->column == named[1]->column &&
        !env_.only_unknown_templates)
        for (const auto* t : env_.templates) {
            const TableSchema* schema = table_in(*t, named[0]->table);
            if (!schema) continue;
            auto at = [&](const Named& b) { return b.column ? index(*schema).column(b.key) : index(*schema).row(b.key); };
            auto from = at(*named[0]), to = at(*named[1]);
            if (from && to && *from > *to) {
                error(s.from->offset, "this slice is empty: " + quoted(named[0]->name) + " comes after " +
                                          quoted(named[1]->name) + " in " + named[0]->table + " (write [" +
                                          named[1]->name + ":" + named[0]->name + "])");
                break;
            }
        }
    switch (ot.kind) {
        case Kind::Any: out.type = Type::list_of(Type{}); break;
        case Kind::List: out.type = ot; break;
        case Kind::Row:
        case Kind::Column: out.type = Type::list_of(Type::of(Kind::Number)); break;
        case Kind::Table: out.type = Type::list_of(Type::table_type(Kind::Row, ot.table)); break;
        default:
            error(s.object->offset, "cannot slice " + types::describe(ot));
            return poisoned(e);
    }
    return out;
}

namespace {

// The `x in list` of a quantifier call (all(x in list, …)), else null.
const ast::Binary* binding_of(const ast::Call& c) {
    if (c.args.size() != 2) return nullptr;
    const auto* b = std::get_if<ast::Binary>(&c.args[0].node);
    if (b && b->op == ast::BinaryOp::In && std::holds_alternative<ast::Name>(b->left->node) &&
        program::find_builtin(c.function, 2, true))
        return b;
    return nullptr;
}

// The expressions directly under `e`, in the order written.
std::vector<const ast::Expr*> kids_of(const ast::Expr& e) {
    std::vector<const ast::Expr*> out;
    auto add = [&out](const auto&... kids) { ((kids ? out.push_back(kids.get()) : void()), ...); };
    auto add_all = [&out](const std::vector<ast::Expr>& kids) {
        for (const auto& k : kids) out.push_back(&k);
    };
    std::visit(
        [&](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, ast::List>) add_all(n.items);
            if constexpr (std::is_same_v<T, ast::Call>) add_all(n.args);
            if constexpr (std::is_same_v<T, ast::Member>) {
                add(n.object);
                if (n.args) add_all(*n.args);
            }
            if constexpr (std::is_same_v<T, ast::Index>) add(n.object, n.index);
            if constexpr (std::is_same_v<T, ast::Slice>) add(n.object, n.from, n.to);
            if constexpr (std::is_same_v<T, ast::Unary>) add(n.operand);
            if constexpr (std::is_same_v<T, ast::Binary>) add(n.left, n.right);
            if constexpr (std::is_same_v<T, ast::Conditional>) add(n.condition, n.then_branch, n.else_branch);
        },
        e.node);
    return out;
}

// collect_quantifier_variables() below `e`, inside the binders `enclosing`
// ("l in lists"): a variable of a nested quantifier is bound with them in a `for`.
void collect_under(const ast::Expr& e, const YamlText& text, const std::string& where, const std::string& rule_for,
                   std::vector<std::string>& enclosing, std::vector<QuantifierVariable>& out) {
    const auto* call = std::get_if<ast::Call>(&e.node);
    const ast::Binary* b = call ? binding_of(*call) : nullptr;
    if (!b) {
        for (const ast::Expr* kid : kids_of(e)) collect_under(*kid, text, where, rule_for, enclosing, out);
        return;
    }
    const std::string& name = std::get<ast::Name>(b->left->node).name;
    const ast::Expr& list = *b->right;
    const std::string binding =
        name + " in " + (list.end > list.offset && list.end <= text.text.size()
                             ? text.text.substr(list.offset, list.end - list.offset)
                             : std::string("…"));
    std::string as_for = rule_for;
    for (const auto& outer : enclosing) as_for += (as_for.empty() ? "" : ", ") + outer;
    as_for += (as_for.empty() ? "" : ", ") + binding;
    out.push_back({name, call->function + "(" + name + " in …)", where, text.position(e.offset).line, as_for});
    collect_under(list, text, where, rule_for, enclosing, out);
    enclosing.push_back(binding);
    collect_under(call->args[1], text, where, rule_for, enclosing, out);
    enclosing.pop_back();
}

}  // namespace

void collect_quantifier_variables(const ast::Expr& e, const YamlText& text, const std::string& where,
                                  const std::string& rule_for, std::vector<QuantifierVariable>& out) {
    std::vector<std::string> enclosing;
    collect_under(e, text, where, rule_for, enclosing, out);
}

std::string ExpressionCompiler::bound_elsewhere(const std::string& name, const QuantifierVariable& q) const {
    const std::string& here = env_.reading;
    const std::string reader = here.starts_with("let ") ? "a let" : here.empty() ? "this" : here;
    const std::string bound = quoted(name) + " is bound only inside " + q.binder + " in " + q.where + " (line " +
                              std::to_string(q.line) + ")";
    return bound + ": " + (here == q.where ? "outside it, " : "") + reader +
           " can read the rule's for variables and lets, not a quantifier's; for one finding per " + name +
           ", bind it in the rule's for in place of " + q.binder + " (for: " + q.as_for + ")";
}

Node ExpressionCompiler::compile_call(const ast::Expr& e, const ast::Call& c) {
    if (const ast::Binary* b = binding_of(c)) return compile_binder_call(e, c, *b);
    std::vector<Node> args;
    std::vector<Type> arg_types;
    for (const auto& a : c.args) {
        args.push_back(compile(a));
        arg_types.push_back(args.back().type);
    }
    const auto* fn = program::find_builtin(c.function, c.args.size(), false);
    if (!fn) {
        if (program::builtin_exists(c.function))
            error(e.offset, "wrong number of arguments to " + c.function + ": write " + program::builtin_usage(c.function));
        else
            error(e.offset, "unknown function " + quoted(c.function) + names::did_you_mean(c.function, program::builtin_names()));
        return poisoned(e);
    }
    program::ArgumentError err;
    Type t = fn->type(arg_types, err);
    // previous(x) of anything but a table reads a param of last year's report.
    if (err.empty() && c.function == "previous" && arg_types[0].kind != Kind::Table && args[0].op != Op::Param)
        err = {0, "must be a table (previous(表三)) or a param (previous(other_form)), not an expression: "
                  "name it in the pack's params"};
    // written_unit(x) and written_text(x) read the text of the cell x names, which a computed number has not.
    if (err.empty() && (c.function == "written_unit" || c.function == "written_text") && !types::is_any(arg_types[0]) &&
        !program::names_a_cell(args[0]))
        err = {0, "must be a table cell (r[c], 表二.行政事业性收费.本年收费金额, or a let that is one), not an expression: " +
                  std::string(c.function == "written_unit" ? "the unit is the one written in the cell's text"
                                                           : "a computed number was written nowhere")};
    if (!err.empty()) {
        if (!any_poisoned(args)) error(c.args[err.arg].offset, argument_error(c.function, fn->max_args == 1, err));
        return poisoned(e);
    }
    if (auto refused = refused_element(*fn, c, args, arg_types)) {
        error(refused->first, refused->second);
        return poisoned(e);
    }
    Node out = node(Op::Call, e, t);
    out.function = fn;
    out.name = c.function;
    if (fn->pattern_arg >= 0 && static_cast<std::size_t>(fn->pattern_arg) < args.size()) {
        const auto i = static_cast<std::size_t>(fn->pattern_arg);
        const Node& arg = args[i];
        // A pattern written here, or kept in a param: checked and compiled once.
        const bool in_param = arg.op == Op::Param && arg.constant.is<std::string>();
        const std::string* pattern = in_param ? &arg.constant.as<std::string>() : literal_name(arg);
        if (pattern) {
            std::string regex_error;
            std::size_t at = 0;
            out.regex = program::compile_regex(*pattern, regex_error, at);
            // Where the pattern's text is written: the param's value, or the literal here.
            const Symbol* param = in_param ? scope_.find(arg.name) : nullptr;
            const YamlText* written_in = param && param->kind == Symbol::Kind::Param && param->value ? param->value : nullptr;
            if (!out.regex && in_param && !written_in) {
                error(c.args[i].offset, "param " + quoted(arg.name) + ": " + regex_error);
            } else if (!out.regex) {
                const YamlText& source = written_in ? *written_in : text_;
                // A YAML-quoted param's value is the pattern as ICU read it (its
                // diagnostics place offsets of it); a literal here or a plain value
                // is written with the rule language's escapes.
                std::uint32_t offset = static_cast<std::uint32_t>(at);
                if (!(written_in && written_in->quoted)) {
                    const std::uint32_t content = literal_content_start(source.text, written_in ? 0 : c.args[i].offset);
                    offset = content + static_cast<std::uint32_t>(
                                           grammar::escaped_offset(std::string_view(source.text).substr(content), at));
                }
                // A param's: the same words wherever it is used, said once, at the param.
                if (written_in)
                    env_.diagnostics.error(source, offset, "param " + quoted(arg.name) + " is used as a pattern: " + regex_error);
                else
                    error(offset, regex_error);
            }
        }
    }
    if ((c.function == "has_section" || c.function == "section") && !args.empty())
        if (const std::string* name = literal_name(args[0])) check_section_name(*name, c.args[0].offset);
    out.kids = std::move(args);
    return out;
}

std::optional<std::pair<std::uint32_t, std::string>> ExpressionCompiler::refused_element(
    const program::Builtin& fn, const ast::Call& c, const std::vector<Node>& args, const std::vector<Type>& arg_types) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        // A list of one type was checked as such; one of several types is typed a
        // list of anything, which every function takes, and fails at run time.
        if (arg_types[i].kind != Kind::List || (arg_types[i].element && !types::is_any(*arg_types[i].element))) continue;
        const auto* written = std::get_if<ast::List>(&c.args[i].node);
        const Symbol* param = args[i].op == Op::Param ? scope_.find(args[i].name) : nullptr;
        if (param && param->kind != Symbol::Kind::Param) param = nullptr;
        const std::size_t n = written && args[i].op == Op::ListLiteral ? written->items.size() : param ? param->item_types.size() : 0;
        for (std::size_t k = 0; k < n; ++k) {
            const Type& element = written ? args[i].kids[k].type : param->item_types[k];
            if (types::is_any(element)) continue;
            std::vector<Type> as_element = arg_types;
            as_element[i] = Type::list_of(element);
            program::ArgumentError refused;
            (void)fn.type(as_element, refused);
            if (refused.empty()) continue;
            // "must be a list of numbers, not a list of texts": the list is not all texts.
            refused.message = refused.message.substr(0, refused.message.find(", not "));
            if (written) {
                const ast::Expr& item = written->items[k];
                const auto* literal = std::get_if<ast::String>(&item.node);
                const std::string shown = literal ? "\"" + literal->value + "\"" : text_.text.substr(item.offset, item.end - item.offset);
                refused.message += ": " + shortened(shown, 24) + " in it is " + types::describe(element);
                return std::pair{item.offset, argument_error(c.function, fn.max_args == 1, refused)};
            }
            const YamlText& item = *param->items[k];
            refused.message += ": param " + quoted(param->name) + " holds " + (item.quoted ? "\"" + item.text + "\"" : item.text) +
                               ", which is " + types::describe(element) + " (line " + std::to_string(item.pos.line) + ")";
            return std::pair{c.args[i].offset, argument_error(c.function, fn.max_args == 1, refused)};
        }
    }
    return std::nullopt;
}

std::uint32_t ExpressionCompiler::declare_variable(const std::string& name, const Node& collection, std::uint32_t offset) {
    Type element;
    if (collection.type.kind == Kind::List)
        element = collection.type.element_type();
    else if (!types::is_any(collection.type))
        error(offset, "cannot iterate over " + types::describe(collection.type) + ": expected a list");
    Symbol s;
    s.kind = Symbol::Kind::Variable;
    s.name = name;
    s.slot = env_.next_slot++;
    s.type = element;
    env_.max_slot = std::max(env_.max_slot, env_.next_slot);
    scope_.symbols.push_back(s);
    return s.slot;
}

Node ExpressionCompiler::compile_binder_call(const ast::Expr& e, const ast::Call& c, const ast::Binary& binding) {
    const auto& var = std::get<ast::Name>(binding.left->node);
    Node collection = compile(*binding.right);
    const std::uint32_t slot = declare_variable(var.name, collection, binding.right->offset);
    Node body = compile(c.args[1]);
    scope_.symbols.pop_back();
    --env_.next_slot;
    const auto* fn = program::find_builtin(c.function, 2, true);
    program::ArgumentError err;
    Type t = fn->type({collection.type, body.type}, err);
    if (!err.empty()) {
        if (!is_poisoned(collection) && !is_poisoned(body))
            error(c.args[err.arg].offset, argument_error(c.function, false, err));
        return poisoned(e);
    }
    Node out = node(Op::Call, e, t);
    out.function = fn;
    out.name = c.function;
    out.slot = slot;
    out.kids.reserve(2);
    out.kids.push_back(std::move(collection));
    out.kids.push_back(std::move(body));
    return out;
}

Node ExpressionCompiler::compile_unary(const ast::Expr& e, const ast::Unary& u) {
    Node operand = compile(*u.operand);
    bool neg = u.op == ast::UnaryOp::Neg;
    if (neg ? !types::is_numeric(operand.type) : !types::is_condition(operand.type)) {
        error(e.offset, std::string(neg ? "'-' needs a number" : "'not' needs a condition") + ", not " + types::describe(operand.type));
        return poisoned(e);
    }
    Node out = node(neg ? Op::Negate : Op::Not, e, Type::of(neg ? Kind::Number : Kind::Bool));
    out.kids.push_back(std::move(operand));
    return out;
}

Node ExpressionCompiler::compile_binary(const ast::Expr& e, const ast::Binary& b) {
    using ast::BinaryOp;
    Node left = compile(*b.left);
    Node right = compile(*b.right);
    const Type lt = left.type, rt = right.type;
    std::string op = ast::spelling(b.op);
    auto fail = [&](const std::string& why) {
        error(b.op_offset, why);
        return poisoned(e);
    };
    Type result;
    Op code = Op::Binary;
    switch (b.op) {
        case BinaryOp::Add:
        case BinaryOp::Sub:
        case BinaryOp::Mul:
        case BinaryOp::Div:
            if (!types::is_numeric(lt) || !types::is_numeric(rt))
                return fail("'" + op + "' needs numbers, not " + types::describe(lt) + " and " + types::describe(rt));
            result = Type::of(Kind::Number);
            break;
        case BinaryOp::Eq:
        case BinaryOp::Ne:
            if (!comparable(lt, rt)) return fail("cannot compare " + types::describe(lt) + " with " + types::describe(rt));
            if (is_template(left)) check_template_names(right, *b.right);
            if (is_template(right)) check_template_names(left, *b.left);
            result = Type::of(Kind::Bool);
            break;
        case BinaryOp::Approx:
        case BinaryOp::Lt:
        case BinaryOp::Le:
        case BinaryOp::Gt:
        case BinaryOp::Ge:
            if (!types::is_numeric(lt) || !types::is_numeric(rt))
                return fail("'" + op + "' compares numbers, not " + types::describe(lt) + " and " + types::describe(rt));
            result = Type::of(Kind::Bool);
            break;
        case BinaryOp::In:
        case BinaryOp::NotIn:
            if (!(types::is_list(rt) || (rt.kind == Kind::String && types::is_text(lt))))
                return fail("'" + op + "' needs a list (or text) on its right, not " + types::describe(rt));
            if (is_template(left) && types::is_list(rt)) check_template_names(right, *b.right);
            result = Type::of(Kind::Bool);
            break;
        case BinaryOp::And:
        case BinaryOp::Or:
            if (!types::is_condition(lt) || !types::is_condition(rt))
                return fail("'" + op + "' joins conditions, not " + types::describe(lt) + " and " + types::describe(rt));
            result = Type::of(Kind::Bool);
            code = b.op == BinaryOp::And ? Op::And : Op::Or;
            break;
    }
    Node out = node(code, e, result);
    out.binary = b.op;
    out.kids.reserve(2);
    out.kids.push_back(std::move(left));
    out.kids.push_back(std::move(right));
    return out;
}

Node ExpressionCompiler::compile_conditional(const ast::Expr& e, const ast::Conditional& c) {
    Node cond = compile(*c.condition);
    Node then_branch = compile(*c.then_branch);
    Node else_branch = compile(*c.else_branch);
    if (!types::is_condition(cond.type)) {
        error(c.condition->offset, "'if' needs a condition, not " + types::describe(cond.type));
        return poisoned(e);
    }
    Node out = node(Op::If, e, unify(then_branch.type, else_branch.type));
    out.kids.reserve(3);
    out.kids.push_back(std::move(cond));
    out.kids.push_back(std::move(then_branch));
    out.kids.push_back(std::move(else_branch));
    return out;
}

}  // namespace gouji::rules
