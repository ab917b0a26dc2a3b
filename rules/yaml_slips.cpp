#include "rules/yaml_slips.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "gouji/text.hpp"

namespace gouji::rules {

namespace {

// A line of the file that starts with a key: "    check: …" or "  - id: A".
struct KeyLine {
    std::string_view key;
    std::uint32_t key_byte = 0;
    std::size_t key_column = 0;  // bytes from the line's start (indentation is ASCII)
    std::string_view rest;       // after the key, to the end of the line
    std::uint32_t rest_byte = 0;
};

struct Line {
    std::uint32_t begin = 0, end = 0;  // end: the '\n' or the end of the text
};

std::vector<Line> lines_of(std::string_view text, std::uint32_t up_to) {
    std::vector<Line> lines;
    std::uint32_t begin = 0;
    while (begin <= up_to && begin <= text.size()) {
        auto nl = text.find('\n', begin);
        auto end = static_cast<std::uint32_t>(nl == std::string_view::npos ? text.size() : nl);
        lines.push_back({begin, end});
        if (nl == std::string_view::npos) break;
        begin = end + 1;
    }
    return lines;
}

bool key_char(char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && ((c >= '0' && c <= '9') || c == '-'));
}

std::optional<KeyLine> key_line(std::string_view text, Line line) {
    std::string_view s = text.substr(line.begin, line.end - line.begin);
    std::size_t i = s.find_first_not_of(' ');
    if (i == std::string_view::npos) return std::nullopt;
    if (s.compare(i, 2, "- ") == 0) i = s.find_first_not_of(' ', i + 2);
    if (i == std::string_view::npos || !key_char(s[i], true)) return std::nullopt;
    std::size_t end = i + 1;
    while (end < s.size() && key_char(s[end], false)) ++end;
    KeyLine k;
    k.key = s.substr(i, end - i);
    k.key_byte = line.begin + static_cast<std::uint32_t>(i);
    k.key_column = i;
    k.rest = s.substr(end);
    k.rest_byte = line.begin + static_cast<std::uint32_t>(end);
    return k;
}

// Keys of a pack and of its rules, and of a template file: a word of these
// followed by a space and no colon is a key whose colon was forgotten. (Words a
// value's text may well start a line with, such as label, group or from, are not.)
bool pack_or_rule_key(std::string_view key) {
    static constexpr std::array<std::string_view, 32> keys = {
        "pack", "title", "version", "applies-to", "extends", "params", "rules", "overrides", "id", "severity",
        "kind", "for", "let", "when", "check", "message", "basis", "tags", "disabled",
        "templates", "based-on", "years", "sections", "tables", "aliases", "anchors", "columns", "column-groups",
        "groups", "blocks", "rows", "blank-cells"};
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

constexpr std::string_view full_width_colon = "\xEF\xBC\x9A";  // ：

YamlSyntaxError slip(std::uint32_t byte, std::string message) { return {std::move(message), byte, std::nullopt, {}}; }

// A slip on a line before libyaml's error, or on its line: it may read on past
// a key with the wrong colon and fail only at the next key.
std::optional<YamlSyntaxError> slip_in_key(const KeyLine& k) {
    std::size_t after = k.rest.find_first_not_of(' ');
    if (after != std::string_view::npos && k.rest.substr(after).starts_with(full_width_colon))
        return slip(k.rest_byte + static_cast<std::uint32_t>(after),
                    "'：' is a full-width colon: write ':' and a space after '" + std::string(k.key) + "'");
    if (pack_or_rule_key(k.key) && after != std::string_view::npos && after > 0 &&
        k.rest.find(':') == std::string_view::npos && k.rest[after] != '#')
        return slip(k.rest_byte, "'" + std::string(k.key) + "' needs a ':' after it (" + std::string(k.key) + ": …)");
    return std::nullopt;
}

// `severity:error`: a key and its value with no space between, one text to
// YAML, which then finds no ':' for it where the next key starts.
std::optional<YamlSyntaxError> no_space_in_key(const KeyLine& k) {
    if (!pack_or_rule_key(k.key) || k.rest.size() < 2 || k.rest[0] != ':' ||
        std::string_view(" \t\r#").find(k.rest[1]) != std::string_view::npos)
        return std::nullopt;
    std::string_view value = k.rest.substr(1);
    value = value.substr(0, std::min(value.size(), value.find(" #")));
    value = value.substr(0, value.find_last_not_of(" \t\r") + 1);
    return slip(k.rest_byte, no_space_after_colon(k.key, value));
}

// A slip on the line of libyaml's error, or on the line where what it was
// parsing started (a flow list opened by the value and never closed).
std::optional<YamlSyntaxError> slip_in_value(const KeyLine& k, const YamlSyntaxError& error, bool error_line) {
    if (!k.rest.starts_with(':')) return std::nullopt;
    std::size_t value = k.rest.find_first_not_of(' ', 1);
    if (value == std::string_view::npos) return std::nullopt;
    const std::uint32_t value_byte = k.rest_byte + static_cast<std::uint32_t>(value);
    const char first = k.rest[value];
    // libyaml read the value as a list or mapping and found it unclosed. Under a
    // key whose value is text (an expression, a message) it was meant as text and
    // needs quotes; elsewhere (a param's values, tags) it is a list lacking its ']'.
    static constexpr std::array<std::string_view, 11> text_keys = {"check", "when", "message", "title", "basis", "applies-to",
                                                                   "id", "severity", "kind", "version", "pack"};
    const bool text_value = std::find(text_keys.begin(), text_keys.end(), k.key) != text_keys.end();
    const bool unclosed = error.message.starts_with(first == '[' ? "did not find expected ',' or ']'" : "did not find expected ',' or '}'");
    if ((first == '{' || first == '[') && unclosed && !text_value)
        return slip(value_byte, std::string("the ") + (first == '[' ? "list" : "mapping") + " that starts here is not closed by '" +
                                    (first == '[' ? "]" : "}") + "' (if the value is text, put all of it in quotes)");
    if ((first == '{' || first == '[') && text_value)
        return slip(value_byte, std::string("a value that starts with '") + first +
                                    "' is read as YAML's own " + (first == '{' ? "mapping" : "list") +
                                    ": put the whole value in quotes (" + std::string(k.key) + ": \"…\")");
    if (error_line && error.message.starts_with("mapping values are not allowed") && error.byte > value_byte)
        return slip(error.byte, "the value of '" + std::string(k.key) +
                                    "' contains ': ', which YAML reads as another key: put the whole value in quotes, or "
                                    "write it on the lines below '" + std::string(k.key) + ": >-'");
    return std::nullopt;
}

// Keys whose value is text shown as it is written (a message's placeholders
// aside), not an expression.
constexpr std::array<std::string_view, 3> text_keys = {"message", "title", "basis"};

// The key of the mapping that holds the key at column `column` of `line`: the
// nearest key above indented less ("params" for a param).
std::string_view parent_key(std::string_view text, Line line, std::size_t column) {
    const std::vector<Line> above = lines_of(text, line.begin);
    for (std::size_t k = above.size() - 1; k-- > 0;)
        if (auto key = key_line(text, above[k]); key && key->key_column < column) return key->key;
    return {};
}

// `key: "申请" + "件"`: a value that starts with a quote is a quoted scalar to
// YAML, which ends at the quote that closes it, and the rest of the expression
// is a slip it reports as a missing key, or as a key indented wrong.
std::optional<YamlSyntaxError> quoted_start(std::string_view text, Line line, const YamlSyntaxError& error) {
    const std::string_view s = text.substr(line.begin, line.end - line.begin);
    std::size_t i = s.find_first_not_of(' ');
    if (i != std::string_view::npos && s.compare(i, 2, "- ") == 0) i = s.find_first_not_of(' ', i + 2);
    if (i == std::string_view::npos) return std::nullopt;
    const std::size_t colon = s.find(": ", i);
    if (colon == std::string_view::npos || colon == i) return std::nullopt;
    const std::string_view key = s.substr(i, colon - i);
    if (key.find_first_of(" \"'{[#") != std::string_view::npos) return std::nullopt;
    const std::size_t value = s.find_first_not_of(' ', colon + 1);
    if (value == std::string_view::npos || (s[value] != '"' && s[value] != '\'')) return std::nullopt;
    const char quote = s[value];
    std::size_t close = value + 1;
    for (; close < s.size(); ++close) {
        if (quote == '"' && s[close] == '\\') {
            ++close;
        } else if (s[close] == quote) {
            if (quote == '\'' && close + 1 < s.size() && s[close + 1] == '\'') {
                ++close;
                continue;
            }
            break;
        }
    }
    if (close >= s.size()) return std::nullopt;  // a quoted scalar over several lines
    std::string_view after = s.substr(close + 1);
    after = after.substr(std::min(after.size(), after.find_first_not_of(' ')));
    if (after.empty() || after.front() == '#') return std::nullopt;
    if (error.byte <= line.begin + close) return std::nullopt;
    std::string_view whole = s.substr(value);
    whole = whole.substr(0, whole.find_last_not_of(" \r") + 1);
    const std::string head = "the value of '" + std::string(key) +
                             "' starts with a quote, so YAML reads it as a quoted text that ends at its closing quote: ";
    const std::string block = "write it on the lines below '" + std::string(key) + ": >-'";
    // A param in YAML quotes is text, not an expression: single quotes around the
    // whole value would make the expression's own text the param's value.
    if (parent_key(text, line, i) == "params") return slip(line.begin + static_cast<std::uint32_t>(value), head + block);
    // A message, title or basis is text already: the outer quotes were YAML's,
    // the inner ones its own text, and quoting the whole value would show both.
    std::string_view meant = whole;
    const bool text_key = std::find(text_keys.begin(), text_keys.end(), key) != text_keys.end();
    if (text_key && meant.size() >= 2 && meant.back() == quote) meant = meant.substr(1, meant.size() - 2);
    std::string single;
    for (std::size_t k = 0; k < meant.size(); ++k) {
        char c = meant[k];
        // What the author meant by \" or \\ inside the double quotes dropped.
        if (meant.size() < whole.size() && quote == '"' && c == '\\' && k + 1 < meant.size() &&
            (meant[k + 1] == '"' || meant[k + 1] == '\\'))
            c = meant[++k];
        single += c == '\'' ? std::string("''") : std::string(1, c);
    }
    if (meant.size() < whole.size())
        return slip(line.begin + static_cast<std::uint32_t>(value),
                    head + "put it in single quotes in place of its outer ones ('" + shortened(single, 60) +
                        "') or write it, without them, on the lines below '" + std::string(key) + ": >-'");
    return slip(line.begin + static_cast<std::uint32_t>(value),
                head + "put the whole value in single quotes ('" + shortened(single, 60) + "') or " + block);
}

// `pat: "收到(\d+)"`: in a double-quoted YAML value a backslash starts one of
// YAML's escapes, and a pattern's \d is none. In single quotes it is itself.
std::optional<YamlSyntaxError> unknown_escape(std::string_view text, const YamlSyntaxError& error) {
    if (!error.message.starts_with("found unknown escape character") || error.byte + 1 >= text.size()) return std::nullopt;
    std::size_t i = 0;
    const std::string escape = "\\" + to_utf8(next_char(text.substr(error.byte + 1), i));
    std::string message = "'" + escape + "' is no escape in a double-quoted YAML value: write the value in single quotes, "
                          "where a backslash is itself";
    // The value as it would be in single quotes, when it is short and on one line.
    if (error.context_byte && *error.context_byte < text.size() && text[*error.context_byte] == '"') {
        std::string single;
        bool whole = false;
        for (std::size_t k = *error.context_byte + 1; k < text.size() && text[k] != '\n'; ++k) {
            const char c = text[k];
            if (c == '"') {
                whole = true;
                break;
            }
            if (c == '\\' && k + 1 < text.size()) {
                const char e = text[++k];
                if (e == '"' || e == '\\') {
                    single += e;
                } else if (std::string_view("0abtnvfreN_LPxuU/ \t").find(e) != std::string_view::npos) {
                    whole = false;  // one of YAML's own escapes: single quotes have none
                    break;
                } else {
                    single += {'\\', e};
                }
                continue;
            }
            single += c == '\'' ? std::string("''") : std::string(1, c);
        }
        if (whole && char_count(single) <= 60) message += " ('" + single + "')";
    }
    return slip(error.byte, message + ", or double the backslash (\\" + escape + ")");
}

// `message: "新收 {x} 件”`: a quoted value never closed runs to the end of the file,
// where libyaml stops. The place to mend is its opening quote; a full-width quote an
// input method typed (” ’) looks like the closing one and is not.
std::optional<YamlSyntaxError> unclosed_quote(std::string_view text, const YamlSyntaxError& error) {
    if (!error.message.starts_with("found unexpected end of stream") ||
        error.message.find("quoted scalar") == std::string::npos || !error.context_byte ||
        *error.context_byte >= text.size())
        return std::nullopt;
    const std::size_t open = *error.context_byte;
    const char quote = text[open];
    if (quote != '"' && quote != '\'') return std::nullopt;
    std::string message = std::string("the value opened by this ") + quote + " is never closed: it runs to the end of the file";
    const std::size_t line_end = std::min(text.find('\n', open), text.size());
    const std::string_view rest = text.substr(open + 1, line_end - open - 1);
    for (std::string_view wide : {"\u201D", "\u201C", "\u2019", "\u2018"})
        if (rest.find(wide) != std::string_view::npos)
            return slip(static_cast<std::uint32_t>(open),
                        message + " (the " + std::string(wide) + " on this line is a full-width quote, which does not close it: add " +
                            quote + " where the value ends)");
    return slip(static_cast<std::uint32_t>(open), message + " (add the closing " + quote + " where the value ends)");
}

// The same slip with a quote further on: the value runs on, over the keys below,
// to the next quote, and libyaml fails just after it. A value may span lines; one
// whose lines read as keys ("  - id: …", "    message: …") was never meant to.
std::optional<YamlSyntaxError> quote_closed_later(std::string_view text, const YamlSyntaxError& error) {
    if (error.byte == 0 || error.byte > text.size()) return std::nullopt;
    std::size_t close = error.byte - 1;
    while (close > 0 && (text[close] == ' ' || text[close] == '\t')) --close;
    const char quote = text[close];
    if (quote != '"' && quote != '\'') return std::nullopt;
    // The quote that opened it: inside single quotes '' is a quote itself, inside
    // double quotes \" (after an even run of backslashes, \\ being one) is.
    auto escaped = [&](std::size_t at) {
        if (quote == '\'') return false;
        std::size_t backslashes = 0;
        while (at > backslashes && text[at - 1 - backslashes] == '\\') ++backslashes;
        return backslashes % 2 == 1;
    };
    std::size_t open = std::string_view::npos;
    for (std::size_t at = close; at-- > 0;) {
        if (text[at] != quote || escaped(at)) continue;
        if (quote == '\'' && at > 0 && text[at - 1] == '\'') {
            --at;  // '' : a quote inside the value
            continue;
        }
        open = at;
        break;
    }
    if (open == std::string_view::npos) return std::nullopt;
    const std::string_view inside = text.substr(open + 1, close - open - 1);
    const std::size_t first_break = inside.find('\n');
    if (first_break == std::string_view::npos) return std::nullopt;
    bool keys_inside = false;
    for (std::size_t at = first_break; at != std::string_view::npos && !keys_inside; at = inside.find('\n', at + 1)) {
        std::string_view line = inside.substr(at + 1);
        line = line.substr(0, line.find('\n'));
        const std::size_t lead = line.find_first_not_of(' ');
        if (lead == std::string_view::npos) continue;
        line.remove_prefix(lead);
        if (line.starts_with("- ")) line.remove_prefix(2);
        const std::size_t colon = line.find(": ");
        keys_inside = colon != std::string_view::npos && colon > 0 &&
                      line.substr(0, colon).find_first_of(" \"'{}[],") == std::string_view::npos;
    }
    if (!keys_inside) return std::nullopt;
    const std::size_t close_line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(close), '\n'));
    return slip(static_cast<std::uint32_t>(open),
                std::string("the value opened by this ") + quote + " is not closed on its line: YAML reads on to the next " +
                    quote + " (line " + std::to_string(close_line) +
                    "), taking the keys between as its text (add the closing " + quote + " where the value ends)");
}

// `label: *总计`: a value that starts with '*' (or '&') is an alias (an anchor)
// to YAML, whose name is ASCII; libyaml stops at the first other character.
std::optional<YamlSyntaxError> star_value(std::string_view text, const YamlSyntaxError& error) {
    if (!error.message.starts_with("did not find expected alphabetic or numeric character") || !error.context_byte ||
        *error.context_byte >= text.size())
        return std::nullopt;
    const std::size_t start = *error.context_byte;
    const char mark = text[start];
    if (mark != '*' && mark != '&') return std::nullopt;
    std::string_view value = text.substr(start);
    value = value.substr(0, std::min(value.find_first_of(",]}\n"), value.find(" #")));
    value = value.substr(0, value.find_last_not_of(" \r") + 1);
    std::string single;
    for (char c : value) single += c == '\'' ? std::string("''") : std::string(1, c);
    return slip(static_cast<std::uint32_t>(start),
                std::string("a value that starts with '") + mark + "' is read as a YAML " +
                    (mark == '*' ? "alias (*name stands for what the anchor &name holds)" : "anchor (&name)") +
                    ": if it is text, put the whole value in quotes ('" + shortened(single, 60) + "')");
}

}  // namespace

std::string no_space_after_colon(std::string_view key, std::string_view value) {
    return "write '" + std::string(key) + ": " + shortened(value, 40) + "' (YAML needs a space after the colon)";
}

YamlSyntaxError explain_yaml_slip(std::string_view text, YamlSyntaxError error) {
    const std::vector<Line> lines = lines_of(text, error.byte);
    if (lines.empty()) return error;
    std::vector<std::size_t> key_columns;  // of the lines before the error's
    auto holds = [](Line l, std::optional<std::uint32_t> byte) { return byte && *byte >= l.begin && *byte <= l.end; };
    // libyaml stops at most one key after a slip in a key: only the error's line,
    // the last line with text before it, and the line where what libyaml was
    // parsing starts are suspects (a line of a text block above is no key).
    const std::size_t error_line = lines.size() - 1;
    auto blank = [&](Line l) {
        return text.substr(l.begin, l.end - l.begin).find_first_not_of(" \t\r") == std::string_view::npos;
    };
    std::optional<std::size_t> before;  // the last line with text before the error's
    for (std::size_t i = error_line; i-- > 0;)
        if (!blank(lines[i])) {
            before = i;
            break;
        }
    bool above_has_plain_value = false;
    auto suspect = [&](std::size_t i) { return i == error_line || i == before || holds(lines[i], error.context_byte); };
    if (auto s = quoted_start(text, lines[error_line], error)) return *s;
    if (auto s = unknown_escape(text, error)) return *s;
    if (auto s = unclosed_quote(text, error)) return *s;
    if (auto s = quote_closed_later(text, error)) return *s;
    if (auto s = star_value(text, error)) return *s;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto k = key_line(text, lines[i]);
        if (!k) continue;
        if (suspect(i)) {
            if (auto s = slip_in_key(*k)) return *s;
            if (auto s = no_space_in_key(*k)) return *s;
        }
        const bool on_error_line = i == error_line;
        if (on_error_line || holds(lines[i], error.context_byte))
            if (auto s = slip_in_value(*k, error, on_error_line)) return *s;
        if (!on_error_line) {
            key_columns.push_back(k->key_column);
            // Whether the key's value is plain text on its own line, which a more
            // indented line below would continue.
            const std::size_t v = k->rest.find_first_not_of(' ', 1);
            above_has_plain_value = k->rest.starts_with(':') && v != std::string_view::npos &&
                                    std::string_view("|>#[{\"'&*!").find(k->rest[v]) == std::string_view::npos;
            continue;
        }
        // A key indented past the one above joins that key's plain value ("kind:
        // sum check"), and its own colon is then the error.
        if (error.message.starts_with("mapping values are not allowed") && above_has_plain_value &&
            !key_columns.empty() && k->key_column > key_columns.back())
            return slip(k->key_byte, "'" + std::string(k->key) + "' is indented " + std::to_string(k->key_column) +
                                         " spaces, more than the key above it (" + std::to_string(key_columns.back()) +
                                         "), so YAML reads it as the rest of that key's value: the keys of one "
                                         "mapping line up");
        const bool lost_indentation = error.message.starts_with("did not find expected '-' indicator") ||
                                      error.message.starts_with("did not find expected key");
        if (lost_indentation && !key_columns.empty() &&
            std::find(key_columns.begin(), key_columns.end(), k->key_column) == key_columns.end())
            return slip(k->key_byte, "'" + std::string(k->key) + "' is indented " + std::to_string(k->key_column) +
                                         " spaces, unlike the keys above it (" + std::to_string(key_columns.back()) +
                                         "): the keys of one mapping line up");
    }
    return error;
}

}  // namespace gouji::rules
