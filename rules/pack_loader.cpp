#include "rules/pack_loader.hpp"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "gouji/text.hpp"
#include "rules/names.hpp"
#include "rules/yaml_slips.hpp"

namespace gouji::rules {

namespace {

const std::vector<std::string> pack_keys = {"pack", "title", "version", "applies-to", "extends", "params", "overrides", "rules"};
const std::vector<std::string> rule_keys = {"id", "title", "severity", "kind", "for", "let", "when", "check",
                                            "message", "basis", "tags", "applies-to"};
const std::vector<std::string> override_keys = {"id", "severity", "disabled"};

class PackReader {
public:
    PackReader(std::shared_ptr<const SourceText> source, Diagnostics& d) : source_(std::move(source)), diag_(d) {}

    SourcePos pos_of(const YamlNode& n) const { return yaml_position(n, *source_); }
    void error_at(const YamlNode& n, std::string message) { diag_.error(*source_, pos_of(n), std::move(message)); }

    // A scalar value; anything else is an error naming the key.
    std::optional<YamlText> scalar(const YamlNode& n, const std::string& key) {
        if (!n.is_scalar()) {
            error_at(n, "'" + key + "' must be a single value");
            return std::nullopt;
        }
        YamlText text = yaml_text(n, source_);
        // Only a text shown as written: there " #" cut short what the reader sees.
        // After an expression or a word ("severity: warning #暂定") it is a comment,
        // as YAML reads it, and an expression cut inside its quotes fails to parse.
        const bool shown_as_written = key == "message" || key == "title" || key == "basis";
        if (auto hash = shown_as_written ? comment_cut_short(text) : std::nullopt)
            diag_.error(*source_, source_->position_of(*hash),
                        "YAML reads ' #' as the start of a comment, so the value of '" + key + "' ends before it (" +
                            "'" + shortened(text.text, 40) + "'): put the whole value in quotes, or write it on the lines below '" +
                            key + ": >-' (a comment is written '# ' with a space)");
        return text;
    }

    // A scalar or a list of scalars.
    std::vector<YamlText> scalars(const YamlNode& n, const std::string& key) {
        std::vector<YamlText> out;
        if (n.is_scalar()) {
            out.push_back(yaml_text(n, source_));
        } else if (n.is_sequence()) {
            for (const auto& item : n.items())
                if (auto t = scalar(item, key)) out.push_back(std::move(*t));
        } else if (!n.is_null()) {
            error_at(n, "'" + key + "' must be a value or a list of values");
        }
        return out;
    }

    // Reports keys of `map` not in `allowed`, with a suggestion. Those in `told`
    // have been reported already. Returns the keys suggested (`check` for `chek`):
    // such a key is there misspelt, and not also to be said missing.
    std::vector<std::string> check_keys(const YamlNode& map, const std::vector<std::string>& allowed,
                                        const std::string& what, const std::vector<std::string>& told = {}) {
        std::vector<std::string> meant;
        for (const auto& kv : map.entries()) {
            if (!kv.key.is_scalar()) {
                error_at(kv.key, "keys of " + what + " must be names");
                continue;
            }
            std::string key(kv.key.scalar());
            // {id: X, severity:warning}: with no space after its colon, a key and
            // its value are one scalar to YAML, a key of no value.
            if (const std::size_t colon = key.find(':');
                colon != std::string::npos && colon > 0 && colon + 1 < key.size() && key[colon + 1] != ' ' &&
                std::find(allowed.begin(), allowed.end(), key.substr(0, colon)) != allowed.end()) {
                const YamlText text = yaml_text(kv.key, source_);
                diag_.error(text, static_cast<std::uint32_t>(colon),
                            no_space_after_colon(key.substr(0, colon), key.substr(colon + 1)));
                meant.push_back(key.substr(0, colon));
                continue;
            }
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end() &&
                std::find(told.begin(), told.end(), key) == told.end()) {
                std::string hint;
                std::size_t best = 3;
                const std::string* suggested = nullptr;
                for (const auto& a : allowed) {
                    const std::u32string k = to_u32(key), candidate = to_u32(a);
                    std::size_t d = names::edit_distance(k, candidate);
                    // Two edits turn any two-letter key into any other: a hint needs
                    // most of the key to stand.
                    if (d < best && d <= std::max<std::size_t>(1, std::max(k.size(), candidate.size()) / 2)) {
                        best = d;
                        hint = " (did you mean '" + a + "'?)";
                        suggested = &a;
                    }
                }
                if (suggested) meant.push_back(*suggested);
                // In {id: X, check: max(1, 2) == 2} the comma ended the check, and
                // "2) == 2" became a key.
                if (hint.empty() && map.style() == YamlStyle::Flow)
                    hint = " (in a one-line {…} mapping a ',' ends the value before it: put a value that holds "
                           "commas in quotes, check: 'max(1, 2) == 2')";
                error_at(kv.key, "unknown key '" + shortened(key, 80) + "' in " + what + hint);
            }
        }
        return meant;
    }

    // Whether `key` of `map` is absent, and not there misspelt (`meant`, check_keys).
    static bool missing(const YamlNode& map, const char* key, const std::vector<std::string>& meant) {
        return (!map[key] || map[key].is_null()) && std::find(meant.begin(), meant.end(), key) == meant.end();
    }

    void read_field(const YamlNode& map, const char* key, YamlText& out) {
        if (auto n = map[key]; n && !n.is_null())
            if (auto t = scalar(n, key)) out = std::move(*t);
    }

    // `let:` with nothing under it, and the names meant for it at the rule's own
    // level after it: each is reported where it stands, and read as a let, so
    // that its uses are not reported as unknown names too.
    std::vector<std::string> lets_not_indented(const YamlNode& n, RuleDecl& r) {
        std::vector<std::string> keys;
        bool after_let = false;
        for (const auto& kv : n.entries()) {
            if (!kv.key.is_scalar()) continue;
            const std::string key(kv.key.scalar());
            if (key == "let") {
                after_let = kv.value.is_null();
                continue;
            }
            if (std::find(rule_keys.begin(), rule_keys.end(), key) != rule_keys.end()) {
                after_let = false;  // the names meant for the let end at the next key of a rule
                continue;
            }
            if (!after_let) continue;
            error_at(kv.key, "unknown key '" + key + "' in a rule: to make it a let, indent it under 'let:'");
            keys.push_back(key);
            auto value = scalar(kv.value, "let");
            if (value) r.lets.emplace_back(yaml_text(kv.key, source_), std::move(*value));
        }
        return keys;
    }

    // A finding is named RULE[binding] (docs/findings.md), overrides and suggestions
    // name rules so, and the text output prints error[RULE[binding]]: an id that is
    // blank, or holds a bracket or a space, would name nothing or read as another
    // rule's finding. Letters of any script, digits, '-', '_' and '.' are enough.
    void check_rule_id(const YamlText& id) {
        constexpr const char* allowed = "an id is letters, digits, '-', '_' and '.', e.g. T3-LOCAL-1";
        if (trim_view(id.text).empty()) {
            diag_.error(*source_, id.pos, std::string("rule id is empty: give the rule an id (") + allowed + ")");
            return;
        }
        for (std::size_t i = 0; i < id.text.size();) {
            const std::size_t at = i;
            const char32_t c = next_char(id.text, i);
            // A combining mark belongs to the letter before it (ที่, a decomposed é).
            const bool mark = at > 0 && (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0;
            if (c == '-' || c == '_' || c == '.' || mark ||
                (c < 0x80 ? std::isalnum(static_cast<int>(c)) != 0 : u_isalnum(static_cast<UChar32>(c))))
                continue;
            const std::string shown = c == ' '                 ? std::string("a space")
                                      : c == '\t'              ? std::string("a tab")
                                      : c == '\n' || c == '\r' ? std::string("a line break")
                                      : u_iscntrl(static_cast<UChar32>(c)) ? fmt::format("the control character U+{:04X}", static_cast<std::uint32_t>(c))
                                                                          : "'" + id.text.substr(at, i - at) + "'";
            const std::string why = c == '[' || c == ']' ? ": findings are named RULE[binding], and a bracket in an id makes its findings read as another rule's"
                                                         : "";
            diag_.error(*source_, id.position(static_cast<std::uint32_t>(at)),
                        "rule id '" + shortened(id.text, 40) + "' holds " + shown + why + " (" + allowed + ")");
            return;
        }
    }

    RuleDecl read_rule(const YamlNode& n) {
        RuleDecl r;
        r.pos = pos_of(n);
        const std::vector<std::string> meant = check_keys(n, rule_keys, "a rule", lets_not_indented(n, r));
        read_field(n, "id", r.id);
        if (r.id.present) check_rule_id(r.id);
        read_field(n, "title", r.title);
        read_field(n, "severity", r.severity);
        read_field(n, "kind", r.kind);
        read_field(n, "applies-to", r.applies_to);
        read_field(n, "when", r.when);
        read_field(n, "check", r.check);
        read_field(n, "message", r.message);
        read_field(n, "basis", r.basis);
        if (auto f = n["for"]) r.bindings = scalars(f, "for");
        if (auto t = n["tags"]) r.tags = scalars(t, "tags");
        if (auto l = n["let"]; l && !l.is_null()) {
            const std::vector<YamlNode> items = l.items();
            if (l.is_sequence() && !items.empty() && std::all_of(items.begin(), items.end(), [](const YamlNode& item) {
                    return item.is_mapping() && item.size() == 2;
                })) {
                // `- total: …`: a list of one-name maps. Read as meant, so that
                // the names are not also reported unknown where they are used.
                error_at(l, "'let' maps names to expressions, without '-': write 'name: expression' under 'let:'");
                for (const auto& item : items) {
                    const YamlEntry kv = item.entries().front();
                    auto name = scalar(kv.key, "let");
                    auto value = scalar(kv.value, "let");
                    if (name && value) r.lets.emplace_back(std::move(*name), std::move(*value));
                }
            } else if (!l.is_mapping()) {
                error_at(l, "'let' must map names to expressions");
            } else {
                for (const auto& kv : l.entries()) {
                    auto name = scalar(kv.key, "let");
                    auto value = scalar(kv.value, "let");
                    // A name given again in this map is YAML's duplicate key, said once
                    // as such: the rule is checked with the first one's value.
                    const bool again = name && std::any_of(r.lets.begin(), r.lets.end(), [&](const auto& let) {
                        return let.first.text == name->text;
                    });
                    if (name && value && !again) r.lets.emplace_back(std::move(*name), std::move(*value));
                }
            }
        }
        for (const char* required : {"id", "severity", "kind", "check"})
            if (missing(n, required, meant))
                diag_.error(*source_, r.pos,
                            std::string("rule ") + (r.id.present ? "'" + r.id.text + "' " : "") + "has no '" + required + "'");
        return r;
    }

    OverrideDecl read_override(const YamlNode& n) {
        OverrideDecl o;
        o.pos = pos_of(n);
        if (!n.is_mapping()) {
            error_at(n, "an override is a map: {id: RULE, severity: warning} or {id: RULE, disabled: true}");
            return o;
        }
        const std::vector<std::string> meant = check_keys(n, override_keys, "an override");
        read_field(n, "id", o.id);
        read_field(n, "severity", o.severity);
        read_field(n, "disabled", o.disabled);
        if (missing(n, "id", meant)) diag_.error(*source_, o.pos, "override has no 'id'");
        const bool change_misspelt = std::find(meant.begin(), meant.end(), "severity") != meant.end() ||
                                     std::find(meant.begin(), meant.end(), "disabled") != meant.end();
        if (!o.severity.present && !o.disabled.present && !change_misspelt)
            diag_.error(*source_, o.pos, "override of '" + o.id.text + "' changes nothing: give 'severity' or 'disabled'");
        return o;
    }

    void read_params(const YamlNode& n, PackDecl& pack) {
        if (!n.is_mapping()) {
            error_at(n, "'params' must map names to values");
            return;
        }
        for (const auto& kv : n.entries()) {
            ParamDecl p;
            if (auto name = scalar(kv.key, "params")) p.name = std::move(*name);
            if (kv.value.is_sequence()) {
                p.is_list = true;
                p.values = scalars(kv.value, "params");
            } else if (auto v = scalar(kv.value, "params")) {
                p.values.push_back(std::move(*v));
            }
            pack.params.push_back(std::move(p));
        }
    }

    std::optional<PackDecl> read(const YamlNode& root, const std::string& file) {
        // An empty file has no line to show a caret under: the file is named alone.
        if (root.is_null() && root.scalar().empty()) {
            std::string_view text = source_->text();
            if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
            const bool blank = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
            diag_.error(file, std::string(blank ? "the file is empty" : "the file holds only comments") +
                                  ": a rule pack is a map with 'pack' and 'rules' (see docs/rule-language.md)");
            return std::nullopt;
        }
        if (!root.is_mapping()) {
            diag_.error(*source_, {1, 1, 0}, "a rule pack is a map with 'pack' and 'rules' (see docs/rule-language.md)");
            return std::nullopt;
        }
        PackDecl pack;
        pack.file = file;
        pack.source = source_;
        const std::vector<std::string> meant = check_keys(root, pack_keys, "a pack");
        read_field(root, "pack", pack.id);
        read_field(root, "title", pack.title);
        read_field(root, "version", pack.version);
        read_field(root, "applies-to", pack.applies_to);
        // A 'pack' that is no single value is said to be one (read_field).
        if (missing(root, "pack", meant)) diag_.error(*source_, {1, 1, 0}, "the pack has no 'pack' id");
        if (auto e = root["extends"]) pack.extends = scalars(e, "extends");
        if (auto p = root["params"]; p && !p.is_null()) read_params(p, pack);
        if (auto o = root["overrides"]; o && !o.is_null()) {
            if (!o.is_sequence())
                error_at(o, "'overrides' must be a list");
            else
                for (const auto& item : o.items()) pack.overrides.push_back(read_override(item));
        }
        if (auto rs = root["rules"]; rs && !rs.is_null()) {
            if (!rs.is_sequence()) {
                error_at(rs, "'rules' must be a list of rules");
            } else {
                const std::vector<YamlNode> items = rs.items();
                for (std::size_t i = 0; i < items.size(); ++i) {
                    const YamlNode& item = items[i];
                    if (!item.is_mapping()) {
                        error_at(item, "a rule is a map with 'id', 'severity', 'kind' and 'check'");
                        continue;
                    }
                    pack.rules.push_back(read_rule(item));
                    // `- *a`: the same rule again, whose own errors were said at its anchor.
                    if (auto alias = rs.alias_of_item(i)) {
                        pack.rules.back().pos = source_->position_of(alias->first);
                        pack.rules.back().alias = alias->second;
                    }
                }
            }
        }
        return pack;
    }

private:
    std::shared_ptr<const SourceText> source_;
    Diagnostics& diag_;
};

// `bytes` read as GB18030 (which GBK and GB2312 are part of), as UTF-8;
// nullopt when they are not GB18030 text.
std::optional<std::string> from_gb18030(std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter* converter = ucnv_open("GB18030", &status);
    if (U_FAILURE(status)) return std::nullopt;
    ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    std::vector<UChar> units(bytes.size() + 1);
    const std::int32_t length = ucnv_toUChars(converter, units.data(), static_cast<std::int32_t>(units.size()), bytes.data(),
                                              static_cast<std::int32_t>(bytes.size()), &status);
    ucnv_close(converter);
    if (U_FAILURE(status)) return std::nullopt;
    std::string out;
    icu::UnicodeString(units.data(), length).toUTF8String(out);
    return out;
}

// The error of a file that is not UTF-8, at byte `byte`: its line shown as
// GB18030 (a Chinese pack saved in the legacy encoding), its column counted in
// that line's characters; a line that is no GB18030 either is not shown, since
// its bytes would print as other characters than were written.
RuleDiagnostic not_utf8(const SourceText& source, std::uint32_t byte, std::string message) {
    RuleDiagnostic d;
    d.file = source.name();
    d.pos = source.position_of(byte);
    const std::string_view line = source.line(d.pos.line);
    const std::size_t line_start = static_cast<std::size_t>(line.data() - source.text().data());
    const auto decoded = from_gb18030(line);
    if (!decoded) {
        d.pos.column = 0;
        d.message = std::move(message);
        return d;
    }
    d.source_line = *decoded;
    d.message = std::move(message) + " (it reads as GB18030 or GBK text, shown decoded here)";
    // The bad byte may be inside a GB18030 character: its column is that character's.
    std::size_t prefix = std::min<std::size_t>(byte - std::min<std::size_t>(byte, line_start), line.size());
    for (std::size_t back = 0; back < 4 && prefix > 0; ++back, --prefix)
        if (auto before = from_gb18030(line.substr(0, prefix))) {
            d.pos.column = static_cast<std::uint32_t>(char_count(*before) + 1);
            return d;
        }
    d.pos.column = 1;
    return d;
}

// The pack in `yaml` (parsed from `source`, or from its start), its keys given twice said.
std::optional<PackDecl> read_pack(const YamlDocument& yaml, const std::shared_ptr<const SourceText>& source,
                                  const std::string& file, Diagnostics& diagnostics) {
    for (const auto& d : yaml.duplicate_keys())
        diagnostics.error(*source, source->position_of(d.byte), YamlDocument::describe(d, *source));
    return PackReader(source, diagnostics).read(yaml.root(), file);
}

// A line that starts an entry of a pack: a key of its top level (`rules:`), or
// an item of the list under one (`  - id: T3-1`, at the first item's indent).
struct EntryStart {
    std::uint32_t byte = 0;
    bool top_level = false;
    std::string_view key;  // a top-level entry's, as written before its ':'
};

std::vector<EntryStart> entry_starts(std::string_view text) {
    std::vector<EntryStart> out;
    constexpr std::size_t none = std::string_view::npos;
    std::size_t item_indent = none;  // of the items of the list under the last top-level key
    bool first_under_key = false;
    for (std::size_t begin = 0; begin < text.size();) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        const std::string_view line = text.substr(begin, end - begin);
        const std::size_t indent = line.find_first_not_of(' ');
        const std::string_view content = indent == std::string_view::npos ? std::string_view() : line.substr(indent);
        const bool blank = content.find_first_not_of(" \t\r") == std::string_view::npos || content.front() == '#';
        const bool dash = content.starts_with("-") && (content.size() == 1 || content[1] == ' ' || content[1] == '\r');
        if (blank || content.starts_with("---") || content.starts_with("...") || content.starts_with("%")) {
            // no entry starts here
        } else if (indent == 0 && !dash) {
            out.push_back({static_cast<std::uint32_t>(begin), true, content.substr(0, content.find(':'))});
            item_indent = none;
            first_under_key = true;
        } else {
            if (dash && (first_under_key || item_indent == indent)) {
                item_indent = indent;
                out.push_back({static_cast<std::uint32_t>(begin), false, {}});
            }
            first_under_key = false;
        }
        begin = end + 1;
    }
    return out;
}

// The pack whose YAML is invalid at byte `error_byte`, read from what comes
// before the entry (a rule, a top-level key) that byte is in, so that its errors
// are said along with the YAML's; nullopt when that cannot be read without
// false errors. Only whole entries are read (a rule cut in half would be said
// to have no check), and only when what is cut holds nothing that the rules
// before read (params, applies-to, extends, the pack's id). Where the part
// before does not parse either, the entry before is tried, a few times.
std::optional<PackDecl> read_before_error(const std::shared_ptr<const SourceText>& source, std::uint32_t error_byte,
                                          const std::string& file, Diagnostics& diagnostics) {
    const std::string_view text = source->text();
    const std::vector<EntryStart> starts = entry_starts(text);
    static constexpr std::string_view cut_freely[] = {"rules", "overrides", "title", "version"};
    std::size_t tries = 0;
    for (auto cut = starts.rbegin(); cut != starts.rend() && tries < 4; ++cut) {
        if (cut->byte > error_byte) continue;
        const bool cuts_what_is_read = std::any_of(starts.begin(), starts.end(), [&](const EntryStart& e) {
            return e.top_level && e.byte >= cut->byte &&
                   std::find(std::begin(cut_freely), std::end(cut_freely), e.key) == std::end(cut_freely);
        });
        const bool keeps_an_entry = std::any_of(starts.begin(), starts.end(), [&](const EntryStart& e) {
            return e.top_level && e.byte < cut->byte;
        });
        if (cuts_what_is_read || !keeps_an_entry) return std::nullopt;
        ++tries;
        YamlDocument yaml(text.substr(0, cut->byte));
        if (!yaml.error()) return read_pack(yaml, source, file, diagnostics);
    }
    return std::nullopt;
}

}  // namespace

std::optional<PackDecl> load_pack(const std::string& file, std::string text, Diagnostics& diagnostics) {
    auto source = std::make_shared<const SourceText>(file, std::move(text));
    YamlDocument yaml(source->text());
    if (const auto& e = yaml.error()) {
        if (!is_valid_utf8(source->text())) {
            diagnostics.add({not_utf8(*source, e->byte, "invalid YAML: " + e->describe(*source))});
            return std::nullopt;
        }
        diagnostics.error(*source, source->position_of(e->byte), "invalid YAML: " + e->describe(*source));
        // Where libyaml's context starts (the quote a value never closed opens) the entry is broken already.
        auto before = read_before_error(source, std::min(e->byte, e->context_byte.value_or(e->byte)), file, diagnostics);
        if (before) before->cut_short = true;
        return before;
    }
    return read_pack(yaml, source, file, diagnostics);
}

}  // namespace gouji::rules
