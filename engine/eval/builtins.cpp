// The built-in functions: one table entry each (name, arity, binder form, usage,
// typing, evaluation). Aggregates and quantifiers follow three-valued logic: a
// missing element makes the result missing unless the known elements decide it
// (all: one false is enough; any: one true is enough).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <optional>
#include <system_error>
#include <unordered_map>

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include "engine/eval/builtins.hpp"
#include "gouji/rules.hpp"
#include "engine/eval/context.hpp"
#include "engine/eval/sections.hpp"
#include "gouji/text.hpp"
#include "gouji/value.hpp"

namespace gouji::program {

struct CompiledRegex {
    // ICU's pattern, made on first use: a pattern of plain words is searched for
    // without it, and a text lacking the words another requires is known not to
    // match; compiling them all would be a tenth of compiling the packs. Only
    // patterns ICU surely accepts are left for later (`literals`, `sequence`, or
    // written in the part of its syntax that cannot fail); any other is compiled
    // (checked) at once.
    const icu::RegexPattern& icu() const {
        std::call_once(icu_once_, [this] {
            if (icu_) return;
            UErrorCode status = U_ZERO_ERROR;
            UParseError pe{};
            icu_.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(text), 0, pe, status));
            if (U_FAILURE(status) || !icu_) throw std::logic_error("a pattern left unchecked that ICU refuses: " + text);
        });
        return *icu_;
    }
    std::string text;  // as written
    mutable std::unique_ptr<icu::RegexPattern> icu_;
    mutable std::once_flag icu_once_;
    // Most patterns of the packs are alternatives of plain words ("累计|历年",
    // "[。；;！？!?]", "^其他"). Whether such a pattern matches is a substring search
    // in the UTF-8 text, without converting it for ICU: sections run to many KB.
    struct Literals {
        bool at_start = false;            // "^…": only at the start of the text
        bool at_end = false;              // "…$": only at the end of the text
        bool whole = false;               // "^…$": the text is one of the words
        std::vector<std::string> words;   // UTF-8; matches when any occurs
        // Several words of some length ("本年制发件数|现行有效件数|…") are looked for
        // in one pass (Wu and Manber's method): how far the window may move when
        // its last two bytes are those (pair_index), over the `shortest` first
        // bytes of every word. Empty when the words are searched one by one.
        std::size_t shortest = 0;
        std::vector<std::uint8_t> shift;
        // With `at_end`: the pair_index() of each word's last two bytes. Most
        // texts end in none of them ("…行政复议的?(申请|案件|案)?(共计?|数量?|件数)?$"
        // is 48 words), and are known not to match without comparing any word.
        // Empty when a word is shorter than two bytes.
        std::vector<bool> last_pairs;
    };
    std::optional<Literals> literals;
    // "(收到|受理).*申请": one of `first`, then `then` later on the same line.
    struct Sequence {
        std::vector<std::string> first;
        std::string then;
    };
    std::optional<Sequence> sequence;
    // Any other pattern: a word each of its alternatives must contain
    // ("本年制发\s*件数|现行有效\s*件数" needs 本年制发 or 现行有效). Most texts hold none
    // and are then known not to match without ICU, which would try every position.
    std::optional<Literals> required;
    // With `required`: every run of plain characters each alternative must
    // contain, by alternative ("本年新\s*制作数量" needs 本年新 and 制作数量). Words
    // as common as 本年新 or 第二十条 pass the one-word search in most reports;
    // an alternative is possible only where all of its runs are.
    std::vector<std::vector<std::string>> required_runs;
    // "…$" of plain characters and groups of such, any of them optional and
    // groups nested ("(自然人|法人(或者?|和|及)其他组织)(提出|提交)?的?…(数量?|件数)?$",
    // hundreds of words if listed): matched backwards from the end of the text
    // once the required words are there, where ICU would try every position.
    struct Ending {
        struct Item {
            std::string word;                                // UTF-8, when no group
            std::vector<std::vector<Item>> alternatives;     // a group's, each a sequence
            bool optional = false;
        };
        std::vector<Item> items;
        bool at_start = false;  // "^…$"
    };
    std::optional<Ending> ending;
};

namespace {

// Characters that mean something in an ICU pattern (outside a set) or in a set.
bool plain_in_pattern(char32_t c) { return c > U' ' && std::u32string_view(U"\\^$.|?*+()[]{}#").find(c) == std::u32string_view::npos; }
bool plain_in_set(char32_t c) { return c > U' ' && std::u32string_view(U"\\^$[]-&:{}|").find(c) == std::u32string_view::npos; }

// "a|bc|" -> {a, bc, ""}: the pattern's top-level alternatives as written.
std::vector<std::u32string_view> alternatives(std::u32string_view pattern) {
    std::vector<std::u32string_view> out;
    for (std::size_t bar; (bar = pattern.find(U'|')) != std::u32string_view::npos; pattern.remove_prefix(bar + 1))
        out.push_back(pattern.substr(0, bar));
    out.push_back(pattern);
    return out;
}

// The words a pattern is the alternative of: "a|bc|[de]" -> {a, bc, d, e};
// "^a" -> {a} at the start. nullopt for any other pattern.
std::optional<CompiledRegex::Literals> literal_alternatives(const std::string& pattern) {
    std::u32string p = to_u32(pattern);
    CompiledRegex::Literals out;
    std::u32string_view rest = p;
    if (!rest.empty() && rest.front() == U'^') {
        out.at_start = true;
        rest.remove_prefix(1);
        if (rest.find(U'|') != std::u32string_view::npos) return std::nullopt;  // "^a|b" anchors only a
    }
    for (std::u32string_view alt : alternatives(rest)) {
        if (alt.empty()) return std::nullopt;  // an empty alternative matches anywhere
        if (alt.front() == U'[') {
            if (alt.size() < 3 || alt.back() != U']') return std::nullopt;
            for (char32_t c : alt.substr(1, alt.size() - 2)) {
                if (!plain_in_set(c)) return std::nullopt;
                out.words.push_back(to_utf8(c));
            }
        } else {
            for (char32_t c : alt)
                if (!plain_in_pattern(c)) return std::nullopt;
            out.words.push_back(to_utf8(alt));
        }
    }
    return out;
}

// The bucket of the byte pair (a, b) in Literals::shift. UTF-8 puts the
// information of Chinese text in the low six bits of each byte.
constexpr std::size_t pair_buckets = 4096;
std::size_t pair_index(unsigned char a, unsigned char b) { return (static_cast<std::size_t>(a & 0x3f) << 6) | (b & 0x3f); }

// Literals::shift for `words`, when all are long enough to move by more than a
// byte or two; one word too, for memmem() makes its own table of shifts on each
// call (~150 instructions), more than it takes to search a figure's context.
// Literals::last_pairs for words at the end.
void plan_one_pass(CompiledRegex::Literals& literals) {
    if (literals.at_end && !literals.whole &&
        std::all_of(literals.words.begin(), literals.words.end(), [](const std::string& w) { return w.size() >= 2; })) {
        literals.last_pairs.assign(pair_buckets, false);
        for (const auto& w : literals.words)
            literals.last_pairs[pair_index(static_cast<unsigned char>(w[w.size() - 2]), static_cast<unsigned char>(w.back()))] = true;
    }
    if (literals.at_start || literals.at_end || literals.words.empty()) return;
    std::size_t m = literals.words.front().size();
    for (const auto& w : literals.words) m = std::min(m, w.size());
    if (m < 4 || m > 255) return;
    literals.shortest = m;
    literals.shift.assign(pair_buckets, static_cast<std::uint8_t>(m - 1));
    for (const auto& w : literals.words)
        for (std::size_t j = 0; j + 1 < m; ++j) {
            auto& s = literals.shift[pair_index(static_cast<unsigned char>(w[j]), static_cast<unsigned char>(w[j + 1]))];
            s = std::min<std::uint8_t>(s, static_cast<std::uint8_t>(m - 2 - j));
        }
}

bool plain_word(std::u32string_view w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), plain_in_pattern);
}

// "(a|b).*c" or "a.*c" of plain words; nullopt for any other pattern.
std::optional<CompiledRegex::Sequence> literal_sequence(const std::string& pattern) {
    std::u32string p = to_u32(pattern);
    std::size_t dots = p.find(U".*");
    if (dots == std::u32string::npos) return std::nullopt;
    std::u32string_view head(p.data(), dots), tail(p.data() + dots + 2, p.size() - dots - 2);
    if (!plain_word(tail)) return std::nullopt;
    CompiledRegex::Sequence out;
    out.then = to_utf8(tail);
    if (head.size() > 2 && head.front() == U'(' && head.back() == U')') {
        for (std::u32string_view alt : alternatives(head.substr(1, head.size() - 2))) {
            if (!plain_word(alt)) return std::nullopt;
            out.first.push_back(to_utf8(alt));
        }
    } else if (plain_word(head)) {
        out.first.push_back(to_utf8(head));
    } else {
        return std::nullopt;
    }
    return out;
}

// The index just past the construct that opens at `i` ('(' or '['), allowing
// for escapes and nesting; the pattern's end when it is not closed.
std::size_t past_group(std::u32string_view p, std::size_t i) {
    // Sets nest ("[a[b]]"); inside one, parentheses are characters: "(x[(]y)".
    int parens = 0, sets = 0;
    for (; i < p.size(); ++i) {
        const char32_t c = p[i];
        if (c == U'\\') ++i;
        else if (c == U'[') ++sets;
        else if (c == U']' && sets > 0) --sets;
        else if (sets == 0 && c == U'(') ++parens;
        else if (sets == 0 && c == U')') --parens;
        if (sets == 0 && parens == 0) return i + 1;
    }
    return p.size();
}

// The runs of plain characters every match of `branch` (no top-level '|')
// contains: a character that may repeat zero times ("a?", "a*", "a{0,2}") is not
// in one, and a run ends at anything else a pattern may mean.
std::vector<std::u32string> required_runs(std::u32string_view branch) {
    std::vector<std::u32string> runs;
    std::u32string run;
    bool last_plain = false;  // the last thing read was a character of `run`
    // Past the '}' at or after `from`; the end when there is none (ICU refuses
    // such a pattern, but it is analysed before ICU sees it).
    auto past_brace = [&](std::size_t from) {
        const std::size_t close = branch.find(U'}', from);
        return close == std::u32string_view::npos ? branch.size() : close + 1;
    };
    auto end_run = [&] {
        if (!run.empty()) runs.push_back(run);
        run.clear();
        last_plain = false;
    };
    for (std::size_t i = 0; i < branch.size();) {
        const char32_t c = branch[i];
        if (c == U'?' || c == U'*' || c == U'{') {
            if (last_plain) run.pop_back();  // may be absent
            end_run();
            i = c == U'{' ? past_brace(i) : i + 1;
        } else if (c == U'+') {
            end_run();  // "ab+c" holds "ab", not "abc"
            ++i;
        } else if (c == U'(' || c == U'[') {
            end_run();
            i = past_group(branch, i);
        } else if (c == U'\\') {
            end_run();
            i += 2;
            // \p{Han}, \x{4E00}, \N{…}: the braces are the escape's.
            if (i < branch.size() && branch[i] == U'{') i = past_brace(i);
        } else if (plain_in_pattern(c)) {
            run.push_back(c);
            last_plain = true;
            ++i;
        } else {
            end_run();
            ++i;
        }
    }
    end_run();
    return runs;
}

// `required` and `required_runs` of a pattern; nullopt when some alternative
// needs no plain word at all, or the pattern is beyond this analysis.
struct RequiredWords {
    CompiledRegex::Literals longest;  // each alternative's longest run
    std::vector<std::vector<std::string>> runs;
};

// The groups of `branch` every match passes through (those not followed by ?,
// * or {…}), in order: their contents.
std::vector<std::u32string_view> mandatory_groups(std::u32string_view branch) {
    std::vector<std::u32string_view> groups;
    for (std::size_t i = 0; i < branch.size();) {
        if (branch[i] == U'\\') {
            i += 2;
        } else if (branch[i] == U'[') {
            i = past_group(branch, i);
        } else if (branch[i] == U'(') {
            const std::size_t end = past_group(branch, i);
            const bool optional = end < branch.size() && std::u32string_view(U"?*{").find(branch[end]) != std::u32string_view::npos;
            if (!optional && end >= i + 2 && branch[end - 1] == U')') groups.push_back(branch.substr(i + 1, end - i - 2));
            i = end;
        } else {
            ++i;
        }
    }
    return groups;
}

// Adds the alternatives of `p` to `out`; false when one needs no plain word. An
// alternative with no plain run of its own ("(自然人|法人(或者?|和|及)其他组织)的?申请?")
// needs one of the alternatives of each group every match passes through: the
// first such group whose alternatives all need words stands for it ("(^|\n)"
// needs none; "(无|暂无|没有)" after it does).
bool add_required(std::u32string_view p, RequiredWords& out, int depth) {
    std::size_t from = 0;
    auto add_branch = [&](std::size_t to) {
        const std::u32string_view branch = p.substr(from, to - from);
        std::vector<std::u32string> runs = required_runs(branch);
        if (runs.empty()) {
            if (depth >= 8) return false;
            for (std::u32string_view group : mandatory_groups(branch)) {
                RequiredWords inner;
                if (!add_required(group, inner, depth + 1)) continue;
                out.longest.words.insert(out.longest.words.end(), inner.longest.words.begin(), inner.longest.words.end());
                out.runs.insert(out.runs.end(), inner.runs.begin(), inner.runs.end());
                return true;
            }
            return false;
        }
        auto longest = std::max_element(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
        out.longest.words.push_back(to_utf8(*longest));
        auto& words = out.runs.emplace_back();
        for (const auto& r : runs) words.push_back(to_utf8(r));
        return true;
    };
    for (std::size_t i = 0; i < p.size();) {
        if (p[i] == U'\\') {
            i += 2;
        } else if (p[i] == U'(' || p[i] == U'[') {
            i = past_group(p, i);
        } else if (p[i] == U'|') {
            if (!add_branch(i)) return false;
            from = ++i;
        } else {
            ++i;
        }
    }
    return add_branch(p.size());
}

std::optional<RequiredWords> required_words(const std::string& pattern) {
    std::u32string p = to_u32(pattern);
    // Flags ("(?i)" makes case not matter), and escapes that stand for a character
    // by its code or name ("\x41", "\u4E00", "\0101", "\cX", "\N{…}") or for text
    // matched before ("\1"), are not analysed; nor is quoting ("\Q…\E").
    if (p.find(U"(?") != std::u32string::npos) return std::nullopt;
    for (std::size_t i = 0; i + 1 < p.size(); ++i)
        if (p[i] == U'\\') {
            if (std::u32string_view(U"xuUcNoQE0123456789").find(p[i + 1]) != std::u32string_view::npos) return std::nullopt;
            ++i;
        }
    RequiredWords out;
    if (!add_required(p, out, 0)) return std::nullopt;
    plan_one_pass(out.longest);
    return out;
}

// Takes a leading '^' and a trailing '$' (not "\\$") off `rest`.
void strip_anchors(std::u32string_view& rest, bool& at_start, bool& at_end) {
    at_start = !rest.empty() && rest.front() == U'^';
    if (at_start) rest.remove_prefix(1);
    at_end = !rest.empty() && rest.back() == U'$' && (rest.size() < 2 || rest[rest.size() - 2] != U'\\');
    if (at_end) rest.remove_suffix(1);
}

// The words `branch` (no top-level '|') stands for: plain characters and groups
// of plain words, each may be optional. False when it is not of that form or
// stands for more than `most` words in all with those already in `texts`.
bool expand_branch(std::u32string_view rest, std::size_t most, std::vector<std::u32string>& texts) {
    const std::size_t before = texts.size();
    texts.emplace_back();
    while (!rest.empty()) {
        std::vector<std::u32string_view> choices;
        if (rest.front() == U'(') {
            std::size_t close = rest.find(U')');
            if (close == std::u32string_view::npos) return false;
            choices = alternatives(rest.substr(1, close - 1));
            for (auto w : choices)
                if (!plain_word(w)) return false;
            rest.remove_prefix(close + 1);
        } else if (plain_in_pattern(rest.front())) {
            choices.push_back(rest.substr(0, 1));
            rest.remove_prefix(1);
        } else {
            return false;
        }
        if (!rest.empty() && rest.front() == U'?') {
            choices.push_back(U"");
            rest.remove_prefix(1);
        }
        if (choices.size() == 1) {  // one way on: the texts grow in place (a long word stays linear)
            for (std::size_t i = before; i < texts.size(); ++i) texts[i] += choices.front();
            continue;
        }
        std::vector<std::u32string> longer;
        for (std::size_t i = before; i < texts.size(); ++i)
            for (auto w : choices) longer.push_back(texts[i] + std::u32string(w));
        if (before + longer.size() > most) return false;
        texts.resize(before);
        std::move(longer.begin(), longer.end(), std::back_inserter(texts));
    }
    return true;
}

// "^无法提供数?$", "(予以|同意)公开$", "^予以公开(及|和|、)部分公开",
// "存在的?问题|主要问题": plain characters and groups of plain words, each may be
// optional, maybe anchored at either end, or alternatives of such unanchored:
// the finite set of words that match there. nullopt for any other pattern, or
// one of more than 64 words.
std::optional<CompiledRegex::Literals> literal_expansion(const std::string& pattern) {
    std::u32string p = to_u32(pattern);
    std::u32string_view rest(p);
    CompiledRegex::Literals out;
    strip_anchors(rest, out.at_start, out.at_end);
    if (rest.empty()) return std::nullopt;
    // Top-level alternatives: an anchor belongs to one of them ("^a|b"), which
    // Literals cannot say. Groups hold no '(' of their own here.
    std::vector<std::u32string_view> branches;
    int depth = 0;
    std::size_t from = 0;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == U'(') ++depth;
        else if (rest[i] == U')') --depth;
        else if (rest[i] == U'|' && depth == 0) {
            branches.push_back(rest.substr(from, i - from));
            from = i + 1;
        }
    }
    branches.push_back(rest.substr(from));
    if (branches.size() > 1 && (out.at_start || out.at_end)) return std::nullopt;
    constexpr std::size_t most = 64;
    std::vector<std::u32string> texts;
    for (auto branch : branches)
        if (!expand_branch(branch, most, texts)) return std::nullopt;
    out.whole = out.at_start && out.at_end;
    for (const auto& t : texts) {
        if (t.empty() && !out.whole) return std::nullopt;  // an empty word matches anywhere
        out.words.push_back(to_utf8(t));
    }
    return out;
}

// Reads the Ending::Item sequence of `p` from `i` up to a '|' or ')' at its
// level (or the end); false for anything but plain characters, groups and '?'.
bool ending_items(std::u32string_view p, std::size_t& i, int depth, std::vector<CompiledRegex::Ending::Item>& items) {
    using Item = CompiledRegex::Ending::Item;
    constexpr int deepest = 32;
    while (i < p.size() && p[i] != U'|' && p[i] != U')') {
        Item item;
        if (p[i] == U'(') {
            if (depth == deepest) return false;
            ++i;
            for (;;) {
                if (!ending_items(p, i, depth + 1, item.alternatives.emplace_back())) return false;
                if (i == p.size()) return false;  // not closed
                if (p[i++] == U')') break;        // else '|'
            }
        } else if (plain_in_pattern(p[i])) {
            item.word = to_utf8(p[i++]);
        } else {
            return false;
        }
        if (i < p.size() && p[i] == U'?') {
            item.optional = true;
            ++i;
        }
        if (i < p.size() && std::u32string_view(U"?*+{").find(p[i]) != std::u32string_view::npos) return false;  // lazy, repeated
        // Characters that must follow each other are one word.
        if (!items.empty() && !item.optional && item.alternatives.empty() && !items.back().optional &&
            items.back().alternatives.empty())
            items.back().word += item.word;
        else
            items.push_back(std::move(item));
    }
    return true;
}

// The Ending of a pattern that ends in '$'; nullopt for any other.
std::optional<CompiledRegex::Ending> literal_ending(const std::string& pattern) {
    std::u32string p = to_u32(pattern);
    std::u32string_view rest(p);
    CompiledRegex::Ending out;
    bool at_end = false;
    strip_anchors(rest, out.at_start, at_end);
    if (!at_end) return std::nullopt;
    std::size_t i = 0;
    if (!ending_items(rest, i, 0, out.items) || i != rest.size()) return std::nullopt;
    return out;
}

// Whether ICU surely compiles `pattern`: written in a small part of its syntax
// (plain characters, '.', '^', '$', groups of alternatives, sets of plain
// characters and ranges, \s \d \w \n \t and their negations, \p{Han}, escaped
// metacharacters, and ?, *, +, {n}, {n,}, {n,m} quantifiers, maybe lazy) that
// ICU accepts wherever it is written. Anything else (an empty pattern too) is
// left to ICU to judge: false does not mean invalid.
class SurelyValidPattern {
public:
    explicit SurelyValidPattern(std::u32string_view p) : p_(p) {}

    bool check() { return !p_.empty() && alternatives(0) && i_ == p_.size(); }

private:
    static constexpr std::size_t deepest_group = 32;
    static constexpr std::size_t largest_count = 1000;
    static constexpr std::u32string_view metacharacters = U"\\^$.|?*+()[]{}";

    bool at(char32_t c) const { return i_ < p_.size() && p_[i_] == c; }
    bool eat(char32_t c) {
        if (!at(c)) return false;
        ++i_;
        return true;
    }
    bool eat_word(std::u32string_view w) {
        if (p_.substr(i_, w.size()) != w) return false;
        i_ += w.size();
        return true;
    }

    bool alternatives(std::size_t depth) {
        do
            if (!sequence(depth)) return false;
        while (eat(U'|'));
        return true;
    }

    bool sequence(std::size_t depth) {
        while (i_ < p_.size() && !at(U'|') && !at(U')')) {
            if (eat(U'^') || eat(U'$')) continue;  // anchors take no quantifier here
            if (!atom(depth) || !quantifier()) return false;
        }
        return true;
    }

    bool atom(std::size_t depth) {
        const char32_t c = p_[i_];
        if (c == U'(') {
            ++i_;
            if (depth == deepest_group || at(U'?') || at(U')')) return false;
            return alternatives(depth + 1) && eat(U')');
        }
        if (c == U'[') return set();
        if (c == U'\\') return escape(U"sSdDwWnt");
        ++i_;
        return c == U'.' || plain_in_pattern(c);
    }

    bool escape(std::u32string_view letters) {
        ++i_;  // the backslash
        if (i_ >= p_.size()) return false;
        if (eat_word(U"p{Han}")) return true;
        const char32_t c = p_[i_++];
        return letters.find(c) != std::u32string_view::npos || metacharacters.find(c) != std::u32string_view::npos;
    }

    bool set() {
        ++i_;  // '['
        eat(U'^');
        bool any = false;
        while (!eat(U']')) {
            if (i_ >= p_.size()) return false;
            if (at(U'\\')) {
                if (!escape(U"sdnt")) return false;
            } else {
                const char32_t from = p_[i_++];
                if (!plain_in_set(from)) return false;
                if (eat(U'-')) {
                    if (i_ >= p_.size() || !plain_in_set(p_[i_]) || p_[i_] < from) return false;
                    ++i_;
                }
            }
            any = true;
        }
        return any;
    }

    bool digit() const { return i_ < p_.size() && p_[i_] >= U'0' && p_[i_] <= U'9'; }

    bool count(std::size_t& n) {
        const std::size_t start = i_;
        n = 0;
        for (; digit(); ++i_) {
            if (i_ - start == 4) return false;
            n = n * 10 + (p_[i_] - U'0');
        }
        return i_ > start && n <= largest_count;
    }

    bool quantifier() {
        if (eat(U'?') || eat(U'*') || eat(U'+')) {
        } else if (eat(U'{')) {
            std::size_t lo = 0, hi = 0;
            if (!count(lo)) return false;
            if (eat(U',') && !at(U'}')) {
                if (!count(hi) || hi < lo) return false;
            }
            if (!eat(U'}')) return false;
        } else {
            return true;
        }
        eat(U'?');  // lazy
        return !at(U'?') && !at(U'*') && !at(U'+') && !at(U'{');
    }

    std::u32string_view p_;
    std::size_t i_ = 0;
};

}  // namespace

bool surely_valid_for_icu(const std::string& pattern) { return SurelyValidPattern(to_u32(pattern)).check(); }

namespace {

// ICU's regex errors as a rule author reads them.
std::string regex_problem(UErrorCode status) {
    switch (status) {
        case U_REGEX_MISMATCHED_PAREN: return "a '(' is not closed by ')', or a ')' has no '(' (write \\( for a parenthesis itself)";
        case U_REGEX_MISSING_CLOSE_BRACKET: return "a '[' is not closed by ']' (write \\[ for a bracket itself)";
        case U_REGEX_RULE_SYNTAX: return "a character with a meaning in patterns is out of place (write it after \\ to mean itself)";
        case U_REGEX_BAD_ESCAPE_SEQUENCE: return "an unknown escape after '\\'";
        case U_REGEX_BAD_INTERVAL:
        case U_REGEX_MAX_LT_MIN: return "a repeat {n} or {n,m} is malformed";
        case U_REGEX_INVALID_RANGE: return "a range in [ ] runs backwards (write [a-z], not [z-a])";
        case U_REGEX_PROPERTY_SYNTAX: return "an unknown \\p{…} property (\\p{Han} is the Chinese characters)";
        case U_REGEX_LOOK_BEHIND_LIMIT: return "a look-behind (?<=…) must match a bounded length";
        case U_REGEX_NUMBER_TOO_BIG: return "a number in the pattern is too big";
        default: return "ICU cannot compile it";
    }
}

// Byte of the last '(' of `pattern` that no ')' closes; escaped parentheses and
// those inside [ ] do not count.
std::optional<std::size_t> unclosed_paren(std::string_view pattern) {
    std::vector<std::size_t> open;
    bool in_class = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\') ++i;
        else if (in_class) in_class = c != ']';
        else if (c == '[') in_class = true;
        else if (c == '(') open.push_back(i);
        else if (c == ')' && !open.empty()) open.pop_back();
    }
    if (open.empty()) return std::nullopt;
    return open.back();
}

}  // namespace

std::shared_ptr<const CompiledRegex> compile_regex(const std::string& pattern, std::string& error,
                                                   std::size_t& error_offset) {
    // Packs repeat their patterns, and ICU compiles each in tens of microseconds.
    // Compiled patterns are immutable (matchers are made per use), so one serves all;
    // the cache is bounded because rules may also build patterns at run time.
    static std::mutex cache_mutex;
    static std::unordered_map<std::string, std::shared_ptr<const CompiledRegex>> cache;
    constexpr std::size_t max_cached = 1024;
    {
        std::lock_guard<std::mutex> lock(cache_mutex);
        if (auto it = cache.find(pattern); it != cache.end()) return it->second;
    }
    auto compiled = std::make_shared<CompiledRegex>();
    compiled->text = pattern;
    compiled->literals = literal_alternatives(pattern);
    if (!compiled->literals) compiled->literals = literal_expansion(pattern);
    if (compiled->literals) plan_one_pass(*compiled->literals);
    else compiled->sequence = literal_sequence(pattern);
    if (!compiled->literals && !compiled->sequence) {
        if (auto required = required_words(pattern)) {
            compiled->required = std::move(required->longest);
            compiled->required_runs = std::move(required->runs);
        }
        compiled->ending = literal_ending(pattern);
    }
    // A pattern of plain words (or words then words) is valid ICU, and usually
    // decided without it; so is one written in the part of ICU's syntax that
    // cannot go wrong, which the words it requires often decide. ICU compiles
    // such a pattern on first need (tens of thousands of instructions, hundreds
    // of thousands with \p{…}), any other now, to report its error. ICU refuses a
    // pattern beyond its size limits, so a long one is checked now.
    constexpr std::size_t longest_unchecked = 64 * 1024;
    const bool plain = pattern.size() <= longest_unchecked &&
                       (compiled->literals || compiled->sequence || surely_valid_for_icu(pattern));
    UErrorCode status = U_ZERO_ERROR;
    UParseError pe{};
    icu::UnicodeString upattern = icu::UnicodeString::fromUTF8(pattern);
    if (!plain) compiled->icu_.reset(icu::RegexPattern::compile(upattern, 0, pe, status));
    if (U_FAILURE(status)) {
        error = "invalid regular expression: " + regex_problem(status) + " (ICU: " + u_errorName(status) + ")";
        std::string prefix;
        icu::UnicodeString(upattern, 0, std::max<int32_t>(0, pe.offset)).toUTF8String(prefix);
        error_offset = pe.offset >= 0 ? prefix.size() : 0;
        // ICU says where it noticed (the end of the pattern); the '(' left open is what to fix.
        if (status == U_REGEX_MISMATCHED_PAREN)
            if (auto open = unclosed_paren(pattern)) error_offset = *open;
        return nullptr;
    }
    std::lock_guard<std::mutex> lock(cache_mutex);
    if (cache.size() < max_cached) cache.emplace(pattern, compiled);
    return compiled;
}

namespace {

using eval::Context;
using eval::List;
using eval::Missing;
using eval::Number;
using eval::Value;
using types::Kind;
using types::Type;

// ---- typing helpers ----------------------------------------------------------

Type number_type() { return Type::of(Kind::Number); }
Type bool_type() { return Type::of(Kind::Bool); }
Type string_type() { return Type::of(Kind::String); }

bool need(bool ok, std::string& error, std::string message) {
    if (!ok && error.empty()) error = std::move(message);
    return ok;
}

bool need_numeric(const Type& t, std::string& error, const char* what) {
    return need(types::is_numeric(t), error, std::string(what) + " must be a number, not " + types::describe(t));
}

bool need_list(const Type& t, std::string& error) {
    return need(types::is_list(t), error, "expected a list, not " + types::describe(t));
}

Type numbers_in_list(const std::vector<Type>& a, std::string& error) {
    if (need_list(a[0], error) && a[0].element) need_numeric(*a[0].element, error, "the list's elements");
    return number_type();
}

Type conditions_in_list(const std::vector<Type>& a, std::string& error) {
    if (need_list(a[0], error) && a[0].element)
        need(types::is_condition(*a[0].element), error, "the list's elements must be conditions");
    return bool_type();
}

Type binder_number(const std::vector<Type>& a, std::string& error) {
    need_numeric(a[1], error, "the expression");
    return number_type();
}

Type binder_condition(const std::vector<Type>& a, std::string& error) {
    need(types::is_condition(a[1]), error, "the predicate must be a condition, not " + types::describe(a[1]));
    return bool_type();
}

Type all_numeric(const std::vector<Type>& a, std::string& error) {
    for (const auto& t : a) need_numeric(t, error, "every argument");
    return number_type();
}

Type texts_to(const std::vector<Type>& a, std::string& error, Type result) {
    for (const auto& t : a) need(types::is_text(t), error, "expected text, not " + types::describe(t));
    return result;
}

// ---- evaluation helpers --------------------------------------------------------

Value arg(Context& ctx, const Node& node, std::size_t i) { return eval::evaluate(ctx, node.kids[i]); }
// arg() without copying a variable's, let's or constant's value (eval::evaluate_ref).
const Value& arg_ref(Context& ctx, const Node& node, std::size_t i, std::optional<Value>& scratch) {
    return eval::evaluate_ref(ctx, node.kids[i], scratch);
}

// An element of a list of numbers as a number (a figure reads as its number);
// otherwise nullopt, and what it lacked is merged into `missing`.
std::optional<Number> element_number(Context& ctx, const Value& e, Missing& missing) {
    if (e.is<Number>()) return e.as<Number>();
    Value n = e.is<eval::FigureRef>() ? eval::figure_number(ctx, e.as<eval::FigureRef>().index) : e;
    if (n.is<Number>()) return n.as<Number>();
    missing = eval::merge_missing(missing, n.missing() ? n : eval::missing_value("a list element is not a number"));
    return std::nullopt;
}

// The numbers of a list; a missing or non-numeric element makes it missing.
std::variant<std::vector<Number>, Missing> numbers_of(Context& ctx, const Value& v) {
    if (v.missing()) return v.as<Missing>();
    if (!v.is<List>()) return Missing{{"expected a list of numbers"}};
    std::vector<Number> out;
    out.reserve(v.as<List>()->size());
    Missing missing;
    bool any_missing = false;
    for (const auto& e : *v.as<List>())
        if (auto n = element_number(ctx, e, missing)) out.push_back(*n);
        else any_missing = true;
    if (any_missing) return missing;
    return out;
}

// Runs `body` for each element of the binder's collection, bound to its slot,
// after telling `start` how many there are.
template <typename Start, typename Visit>
Value for_each_bound(Context& ctx, const Node& node, Start start, Visit visit) {
    std::optional<Value> scratch;
    const Value& coll = arg_ref(ctx, node, 0, scratch);
    if (coll.missing()) return coll;
    if (!coll.is<List>()) return eval::missing_value("expected a list to iterate over");
    List list = coll.as<List>();
    start(list->size());
    for (const auto& e : *list) {
        ctx.vars[node.slot] = e;
        if (!visit(e, eval::evaluate(ctx, node.kids[1]))) break;
    }
    return true;
}
template <typename Visit>
Value for_each_bound(Context& ctx, const Node& node, Visit visit) {
    return for_each_bound(ctx, node, [](std::size_t) {}, visit);
}

// Collects the body's values of a binder call as a list.
Value mapped(Context& ctx, const Node& node) {
    std::vector<Value> out;
    Value status = for_each_bound(ctx, node, [&](std::size_t size) { out.reserve(size); }, [&](const Value&, Value v) {
        out.push_back(std::move(v));
        return true;
    });
    if (status.missing()) return status;
    return eval::make_list(std::move(out));
}

Value sum_numbers(const std::vector<Number>& xs) {
    Number total = Number::exact(0);
    for (const auto& x : xs) total = eval::add(total, x);
    return total;
}

Value extreme(const std::vector<Number>& xs, bool want_max) {
    if (xs.empty()) return eval::missing_value("min/max of an empty list");
    const Number* best = &xs[0];
    for (const auto& x : xs)
        if (want_max ? x.value > best->value : x.value < best->value) best = &x;
    return *best;
}

template <typename F>
Value with_numbers(Context& ctx, const Value& list, F f) {
    auto ns = numbers_of(ctx, list);
    if (auto* m = std::get_if<Missing>(&ns)) return *m;
    return f(std::get<std::vector<Number>>(ns));
}

// all/any over values: Kleene logic.
Value quantify(const std::vector<Value>& values, bool is_all) {
    Missing missing;
    bool unknown = false;
    for (const auto& v : values) {
        if (v.is<bool>()) {
            if (v.as<bool>() != is_all) return !is_all;
        } else {
            unknown = true;
            missing = eval::merge_missing(missing, v.missing() ? v : eval::missing_value("not a condition"));
        }
    }
    if (unknown) return missing;
    return is_all;
}

Value quantify_bound(Context& ctx, const Node& node, bool is_all) {
    Missing missing;
    bool unknown = false, decided = false;
    Value status = for_each_bound(ctx, node, [&](const Value&, const Value& v) {
        if (v.is<bool>()) {
            if (v.as<bool>() != is_all) {
                decided = true;
                return false;
            }
        } else {
            unknown = true;
            missing = eval::merge_missing(missing, v.missing() ? v : eval::missing_value("not a condition"));
        }
        return true;
    });
    if (status.missing()) return status;
    if (decided) return !is_all;
    if (unknown) return missing;
    return is_all;
}

std::optional<std::string> text_arg(const Value& v) {
    if (auto t = eval::text_of(v)) return std::string(*t);
    return std::nullopt;
}

// The regex of a call: precompiled when the pattern was a literal.
std::shared_ptr<const CompiledRegex> regex_of(const Node& node, const Value& pattern, std::string& error) {
    if (node.regex) return node.regex;
    std::size_t offset = 0;
    return compile_regex(std::string(*eval::text_of(pattern)), error, offset);
}

struct RegexMatches {
    std::vector<std::vector<std::optional<std::string>>> matches;  // [match][group 0..n]
};

// Up to `limit` matches of `pattern` in `text` (the call's arguments), with their
// groups unless `groups` is false (matches() asks only whether there is one).
std::variant<RegexMatches, Missing> match_text(Context& ctx, const Node& node, const Value& text, const Value& pattern,
                                               std::size_t limit, bool groups) {
    if (text.missing() || pattern.missing()) return eval::merge_missing(text, pattern);
    if (!eval::is_text(text) || !eval::is_text(pattern)) return Missing{{"regex needs text and a pattern"}};
    std::string error;
    auto re = regex_of(node, pattern, error);
    if (!re) return Missing{{error}};
    if (lacks_required_words(*re, *eval::text_of(text))) return RegexMatches{};
    icu::UnicodeString utext = icu::UnicodeString::fromUTF8(*eval::text_of(text));
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> owned;
    icu::RegexMatcher* m = nullptr;
    if (node.regex) {
        auto& cached = ctx.matchers[node.regex.get()];
        if (!cached) {
            cached.reset(re->icu().matcher(status));
            if (cached) cached->setTimeLimit(eval::regex_time_limit, status);
        }
        m = cached.get();
        if (m && U_SUCCESS(status)) m->reset(utext);
    } else {
        owned.reset(re->icu().matcher(utext, status));
        if (owned) owned->setTimeLimit(eval::regex_time_limit, status);
        m = owned.get();
    }
    RegexMatches out;
    if (U_FAILURE(status) || !m) return Missing{{std::string("regex failed: ") + u_errorName(status)}};
    while (out.matches.size() < limit && m->find(status) && U_SUCCESS(status)) {
        ctx.count_step();
        std::vector<std::optional<std::string>> texts;
        for (int32_t g = 0; groups && g <= m->groupCount(); ++g) {
            if (m->start(g, status) < 0) {
                texts.emplace_back(std::nullopt);
                continue;
            }
            std::string s;
            m->group(g, status).toUTF8String(s);
            texts.emplace_back(std::move(s));
        }
        out.matches.push_back(std::move(texts));
    }
    // A kept matcher must not point at this call's text once it is gone.
    static const icu::UnicodeString nothing;
    if (!owned) m->reset(nothing);
    if (U_FAILURE(status)) {
        // A search that gave up is no answer: "no match" would pass or fail the check.
        std::string pattern_text;
        pattern_text = re->text;
        throw eval::RegexGaveUp{pattern_text, status == U_REGEX_TIME_OUT ? "took too long" : u_errorName(status)};
    }
    return out;
}

std::variant<RegexMatches, Missing> run_regex(Context& ctx, const Node& node, std::size_t limit) {
    std::optional<Value> text_scratch, pattern_scratch;
    const Value& text = arg_ref(ctx, node, 0, text_scratch);
    const Value& pattern = arg_ref(ctx, node, 1, pattern_scratch);
    return match_text(ctx, node, text, pattern, limit, true);
}

Value number_from_text(const std::optional<std::string>& s) {
    if (!s) return eval::missing_value("a regex group did not match");
    gouji::Value v = parse_cell_value(*s);
    if (!v.has_number()) return eval::missing_value("'" + *s + "' is not a number");
    if (v.unit == "%") return Number::written_percent(v.number, v.decimals);
    return Number::written(v.number, v.decimals);
}

// The group a list-returning regex function yields per match: 1 if the pattern has groups.
const std::optional<std::string>& main_group(const std::vector<std::optional<std::string>>& groups) {
    return groups.size() > 1 ? groups[1] : groups[0];
}

constexpr std::size_t all_matches = 10000;

// ---- the functions --------------------------------------------------------------

// Adds numbers in order as sum_numbers(numbers_of(…)) does, without the vector:
// sums run for every row and column of the tables.
struct Total {
    Number total = Number::exact(0);
    Missing missing;
    bool any_missing = false;
    void add(Context& ctx, const Value& e) {
        if (auto n = element_number(ctx, e, missing)) {
            if (!any_missing) total = eval::add(total, *n);
        } else {
            any_missing = true;
        }
    }
    Value value() const { return any_missing ? Value(missing) : Value(total); }
};
Value fn_sum(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v.as<Missing>();
    if (!v.is<List>()) return Missing{{"expected a list of numbers"}};
    Total t;
    for (const auto& e : *v.as<List>()) t.add(ctx, e);
    return t.value();
}
Value fn_sum_bound(Context& ctx, const Node& node) {
    // Recording, figures must be read after every body has run, as mapped() then
    // numbers_of() do; the silent pass records nothing, so it adds as it goes.
    if (ctx.recording) return with_numbers(ctx, mapped(ctx, node), sum_numbers);
    Total t;
    Value status = for_each_bound(ctx, node, [&](const Value&, const Value& v) {
        t.add(ctx, v);
        return true;
    });
    if (status.missing()) return status;
    return t.value();
}
Value fn_count(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v;
    if (v.is<List>()) return Number::exact(static_cast<double>(v.as<List>()->size()));
    return eval::missing_value("count needs a list");
}
Value fn_count_bound(Context& ctx, const Node& node) {
    std::size_t n = 0;
    Missing missing;
    bool unknown = false;
    Value status = for_each_bound(ctx, node, [&](const Value&, const Value& v) {
        if (v.is<bool>()) {
            n += v.as<bool>() ? 1 : 0;
        } else {
            unknown = true;
            missing = eval::merge_missing(missing, v.missing() ? v : eval::missing_value("not a condition"));
        }
        return true;
    });
    if (status.missing()) return status;
    if (unknown) return missing;
    return Number::exact(static_cast<double>(n));
}
Value fn_min(Context& ctx, const Node& node) {
    return with_numbers(ctx, arg(ctx, node, 0), [](const auto& xs) { return extreme(xs, false); });
}
Value fn_max(Context& ctx, const Node& node) {
    return with_numbers(ctx, arg(ctx, node, 0), [](const auto& xs) { return extreme(xs, true); });
}
Value fn_min_bound(Context& ctx, const Node& node) {
    return with_numbers(ctx, mapped(ctx, node), [](const auto& xs) { return extreme(xs, false); });
}
Value fn_max_bound(Context& ctx, const Node& node) {
    return with_numbers(ctx, mapped(ctx, node), [](const auto& xs) { return extreme(xs, true); });
}
Value args_list(Context& ctx, const Node& node) {
    std::vector<Value> items;
    for (std::size_t i = 0; i < node.kids.size(); ++i) items.push_back(arg(ctx, node, i));
    return eval::make_list(std::move(items));
}
Value fn_min_args(Context& ctx, const Node& node) {
    return with_numbers(ctx, args_list(ctx, node), [](const auto& xs) { return extreme(xs, false); });
}
Value fn_max_args(Context& ctx, const Node& node) {
    return with_numbers(ctx, args_list(ctx, node), [](const auto& xs) { return extreme(xs, true); });
}
// Like with_numbers(ctx, args_list(ctx, node), f) for a call of at most N
// arguments, without building the list (abs and round run for every table
// cell): every argument is evaluated before any is read as a number (which
// records figures), in that order, as there. f gets the numbers and their count.
template <std::size_t N, typename F>
Value with_arg_numbers(Context& ctx, const Node& node, F f) {
    const std::size_t n = std::min(node.kids.size(), N);
    std::array<std::optional<Value>, N> scratch;
    std::array<const Value*, N> args{};
    for (std::size_t i = 0; i < n; ++i) args[i] = &arg_ref(ctx, node, i, scratch[i]);
    std::array<Number, N> xs{};
    Missing missing;
    bool any_missing = false;
    for (std::size_t i = 0; i < n; ++i)
        if (auto x = element_number(ctx, *args[i], missing)) xs[i] = *x;
        else any_missing = true;
    if (any_missing) return missing;
    return f(xs, n);
}
Value fn_abs(Context& ctx, const Node& node) {
    return with_arg_numbers<1>(ctx, node, [](const std::array<Number, 1>& xs, std::size_t) -> Value {
        return eval::absolute(xs[0]);
    });
}
Value fn_round(Context& ctx, const Node& node) {
    return with_arg_numbers<2>(ctx, node, [](const std::array<Number, 2>& xs, std::size_t n) -> Value {
        return eval::rounded(xs[0], n > 1 ? xs[1].value : 0);
    });
}
Value fn_all(Context& ctx, const Node& node) {
    Value v = arg(ctx, node, 0);
    if (v.missing()) return v;
    if (!v.is<List>()) return eval::missing_value("all needs a list");
    return quantify(*v.as<List>(), true);
}
Value fn_any(Context& ctx, const Node& node) {
    Value v = arg(ctx, node, 0);
    if (v.missing()) return v;
    if (!v.is<List>()) return eval::missing_value("any needs a list");
    return quantify(*v.as<List>(), false);
}
Value fn_all_bound(Context& ctx, const Node& node) { return quantify_bound(ctx, node, true); }
Value fn_any_bound(Context& ctx, const Node& node) { return quantify_bound(ctx, node, false); }
Value fn_filter(Context& ctx, const Node& node) {
    std::vector<Value> out;
    // An element whose predicate cannot be decided leaves the list unknown: left
    // out, it would decide a count or a sum that the missing value may change.
    std::optional<Value> undecided;
    Value status = for_each_bound(ctx, node, [&](const Value& e, const Value& v) {
        if (v.missing()) {
            undecided = v;
            return false;
        }
        if (v.is<bool>() && v.as<bool>()) out.push_back(e);
        return true;
    });
    if (status.missing()) return status;
    if (undecided) return *undecided;
    return eval::make_list(std::move(out));
}
Value fn_map(Context& ctx, const Node& node) { return mapped(ctx, node); }
Value fn_first(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v;
    if (!v.is<List>() || v.as<List>()->empty()) return eval::missing_value("first of an empty list");
    return v.as<List>()->front();
}
Value fn_last(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v;
    if (!v.is<List>() || v.as<List>()->empty()) return eval::missing_value("last of an empty list");
    return v.as<List>()->back();
}
Value fn_has_section(Context& ctx, const Node& node) {
    Value name = arg(ctx, node, 0);
    if (!eval::is_text(name)) return name.missing() ? name : eval::missing_value("has_section needs a name");
    return eval::find_section(ctx, std::string(*eval::text_of(name))).section != nullptr;
}
Value fn_section(Context& ctx, const Node& node) {
    Value name = arg(ctx, node, 0);
    if (!eval::is_text(name)) return name.missing() ? name : eval::missing_value("section needs a name");
    const std::string text(*eval::text_of(name));
    auto ref = eval::find_section(ctx, text);
    if (!ref.section) return Missing{{"no section '" + text + "'"}, true};
    return ref;
}
// Whether `text` holds a character ICU's '.' does not match (a line terminator,
// U+000A to U+000D, U+0085, U+2028, U+2029), or any other control character.
bool may_break_lines(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) return true;
        if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85) return true;
        if (c == 0xe2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(text[i + 2]) == 0xa8 || static_cast<unsigned char>(text[i + 2]) == 0xa9))
            return true;
    }
    return false;
}

// Whether `text` ends in a character may_break_lines() stops at: ICU's `$`
// matches before a line terminator that ends the text, and only there.
bool ends_in_line_break(std::string_view text) {
    if (text.empty()) return false;
    auto back = [&](std::size_t k) { return static_cast<unsigned char>(text[text.size() - k]); };
    if (back(1) < 0x20 || back(1) == 0x7f) return true;
    if (text.size() >= 2 && back(2) == 0xc2 && back(1) == 0x85) return true;
    return text.size() >= 3 && back(3) == 0xe2 && back(2) == 0x80 && (back(1) == 0xa8 || back(1) == 0xa9);
}

// Where the first `word` in text[from, …) starts (std::string_view::find()):
// memchr() for its last byte, which in UTF-8 text is rarer than its first (a
// continuation byte, not one of the few lead bytes of Chinese), then a
// comparison. memmem() makes a table of shifts on every call, several hundred
// instructions before it reads the text.
std::size_t find_word(std::string_view text, std::string_view word, std::size_t from = 0) {
    if (word.empty()) return from <= text.size() ? from : std::string_view::npos;
    const char last = word.back();
    for (std::size_t at = from + word.size() - 1; at < text.size();) {
        const auto* hit = static_cast<const char*>(std::memchr(text.data() + at, last, text.size() - at));
        if (!hit) break;
        const std::size_t end = static_cast<std::size_t>(hit - text.data()) + 1;
        if (text.substr(end - word.size(), word.size()) == word) return end - word.size();
        at = end;
    }
    return std::string_view::npos;
}

// "(a|b).*c" on text of one line: c after the earliest end of an a or a b.
bool contains_sequence(const CompiledRegex::Sequence& sequence, std::string_view text) {
    std::size_t earliest = std::string_view::npos;
    for (const auto& w : sequence.first)
        if (std::size_t at = find_word(text, w); at != std::string_view::npos) earliest = std::min(earliest, at + w.size());
    return earliest != std::string_view::npos && find_word(text, sequence.then, earliest) != std::string_view::npos;
}

// Whether any of the words occurs, in one pass over the text (Literals::shift).
bool contains_any(const CompiledRegex::Literals& literals, std::string_view text) {
    const std::size_t m = literals.shortest, n = text.size();
    const auto* t = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t i = m - 1; i < n;) {  // text[i + 1 - m, i] is the window
        if (std::uint8_t s = literals.shift[pair_index(t[i - 1], t[i])]) {
            i += s;
            continue;
        }
        const std::string_view rest = text.substr(i + 1 - m);
        for (const auto& w : literals.words)
            if (rest.starts_with(w)) return true;
        ++i;
    }
    return false;
}

bool contains_literal(const CompiledRegex::Literals& literals, std::string_view text) {
    if (!literals.shift.empty()) return contains_any(literals, text);
    for (const auto& w : literals.words)
        if (literals.at_start ? text.starts_with(w) : find_word(text, w) != std::string_view::npos) return true;
    return false;
}

// What is left to match once a group's alternative has matched: items[0, i) of
// the sequence the group is in, then what `up` holds.
struct EndingFrame {
    const std::vector<CompiledRegex::Ending::Item>* seq;
    std::size_t i;
    const EndingFrame* up;
};

// Whether text[…, end) matches items[0, i) of `seq`, then what `up` holds. Counts
// its calls in `budget` and gives up (nullopt) when it runs out: optional groups
// nested deep could make it try paths without end, or recurse too deep.
std::optional<bool> match_back(std::string_view text, std::size_t end, const std::vector<CompiledRegex::Ending::Item>& seq,
                               std::size_t i, const EndingFrame* up, bool at_start, int& budget) {
    if (--budget < 0) return std::nullopt;
    if (i == 0) {
        if (up) return match_back(text, end, *up->seq, up->i, up->up, at_start, budget);
        return !at_start || end == 0;
    }
    const auto& item = seq[i - 1];
    if (item.optional) {
        auto without = match_back(text, end, seq, i - 1, up, at_start, budget);
        if (!without || *without) return without;
    }
    if (item.alternatives.empty()) {
        const std::size_t n = item.word.size();
        if (end < n || text.substr(end - n, n) != item.word) return false;
        return match_back(text, end - n, seq, i - 1, up, at_start, budget);
    }
    const EndingFrame after{&seq, i - 1, up};
    for (const auto& alternative : item.alternatives) {
        auto found = match_back(text, end, alternative, alternative.size(), &after, at_start, budget);
        if (!found || *found) return found;
    }
    return false;
}

std::optional<bool> ends_as(const CompiledRegex::Ending& ending, std::string_view text) {
    int budget = 2'000;  // far more than any pattern of the packs takes on any text (tens)
    return match_back(text, text.size(), ending.items, ending.items.size(), nullptr, ending.at_start, budget);
}

}  // namespace

bool has_literal_form(const CompiledRegex& regex) { return regex.literals || regex.sequence || regex.required || regex.ending; }

std::optional<bool> literal_match(const CompiledRegex& regex, std::string_view text) {
    // `$` also matches before a line break that ends the text: ICU decides those.
    // A break anywhere else is just a character for "^word$" and "word$".
    if (regex.literals && regex.literals->whole) {
        if (ends_in_line_break(text)) return std::nullopt;
        return std::find(regex.literals->words.begin(), regex.literals->words.end(), text) != regex.literals->words.end();
    }
    if (regex.literals && regex.literals->at_end) {
        if (ends_in_line_break(text)) return std::nullopt;
        const auto& last = regex.literals->last_pairs;
        if (!last.empty() && (text.size() < 2 || !last[pair_index(static_cast<unsigned char>(text[text.size() - 2]),
                                                                  static_cast<unsigned char>(text.back()))]))
            return false;
        for (const auto& w : regex.literals->words)
            if (text.ends_with(w)) return true;
        return false;
    }
    if (regex.literals) return contains_literal(*regex.literals, text);
    if (regex.sequence && !may_break_lines(text)) return contains_sequence(*regex.sequence, text);
    if (lacks_required_words(regex, text)) return false;
    if (regex.ending && !ends_in_line_break(text)) return ends_as(*regex.ending, text);
    return std::nullopt;
}

bool lacks_required_words(const CompiledRegex& regex, std::string_view text) {
    if (!regex.required) return false;
    if (!contains_literal(*regex.required, text)) return true;
    return std::none_of(regex.required_runs.begin(), regex.required_runs.end(), [&](const auto& runs) {
        return std::all_of(runs.begin(), runs.end(), [&](const std::string& run) { return find_word(text, run) != std::string_view::npos; });
    });
}

namespace {

Value fn_matches(Context& ctx, const Node& node) {
    std::optional<Value> text_scratch, pattern_scratch;
    const Value& text = arg_ref(ctx, node, 0, text_scratch);
    const Value& pattern = arg_ref(ctx, node, 1, pattern_scratch);
    if (node.regex && eval::is_text(text)) {
        std::optional<bool> found = literal_match(*node.regex, *eval::text_of(text));
        if (found) {
            if (!*found) return false;
            ctx.count_step();  // as match_text does for the match
            return true;
        }
    }
    auto r = match_text(ctx, node, text, pattern, 1, false);
    if (auto* m = std::get_if<Missing>(&r)) return *m;
    return !std::get<RegexMatches>(r).matches.empty();
}
Value fn_captures(Context& ctx, const Node& node) {
    auto r = run_regex(ctx, node, 1);
    if (auto* m = std::get_if<Missing>(&r)) return *m;
    std::vector<Value> out;
    const auto& ms = std::get<RegexMatches>(r).matches;
    if (!ms.empty())
        for (const auto& g : ms[0]) out.push_back(g ? Value(*g) : eval::missing_value("a regex group did not match"));
    return eval::make_list(std::move(out));
}
Value fn_find_all(Context& ctx, const Node& node) {
    auto r = run_regex(ctx, node, all_matches);
    if (auto* m = std::get_if<Missing>(&r)) return *m;
    std::vector<Value> out;
    for (const auto& g : std::get<RegexMatches>(r).matches) {
        const auto& s = main_group(g);
        out.push_back(s ? Value(*s) : eval::missing_value("a regex group did not match"));
    }
    return eval::make_list(std::move(out));
}
Value fn_numbers(Context& ctx, const Node& node) {
    auto r = run_regex(ctx, node, all_matches);
    if (auto* m = std::get_if<Missing>(&r)) return *m;
    std::vector<Value> out;
    for (const auto& g : std::get<RegexMatches>(r).matches) out.push_back(number_from_text(main_group(g)));
    return eval::make_list(std::move(out));
}
Value fn_number(Context& ctx, const Node& node) {
    Value v = arg(ctx, node, 0);
    if (v.missing()) return v;
    if (v.is<Number>()) return v;
    if (v.is<eval::FigureRef>()) return eval::figure_number(ctx, v.as<eval::FigureRef>().index);
    return number_from_text(text_arg(v));
}
Value fn_previous(Context& ctx, const Node& node) {
    if (node.kids[0].op == Op::Param) return eval::previous_param(ctx, node.kids[0]);
    Value table = arg(ctx, node, 0);
    if (!table.is<eval::TableRef>()) return table.missing() ? table : eval::missing_value("previous needs a table");
    if (auto before = ctx.previous_table(table.as<eval::TableRef>())) return *before;
    return eval::missing_value("previous(previous(" + std::string(table.as<eval::TableRef>().id) +
                               ")): only the report of the year before is read, not the one before it");
}
Value fn_present(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.is<eval::FigureRef>()) return !eval::figure_number(ctx, v.as<eval::FigureRef>().index).missing();
    return !v.missing();
}
Value fn_written(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    return !(v.missing() && v.as<Missing>().absent);
}
Value fn_within(Context& ctx, const Node& node) {
    return with_arg_numbers<3>(ctx, node, [](const std::array<Number, 3>& xs, std::size_t) -> Value {
        return eval::within(xs[0], xs[1], xs[2].value);
    });
}
Value fn_unit(Context& ctx, const Node& node) {
    return with_arg_numbers<1>(ctx, node, [](const std::array<Number, 1>& xs, std::size_t) -> Value {
        return eval::unit_of(xs[0]);
    });
}
Value fn_decimals(Context& ctx, const Node& node) {
    return with_arg_numbers<1>(ctx, node, [](const std::array<Number, 1>& xs, std::size_t) -> Value {
        return Number::exact(std::max(xs[0].decimals, 0));
    });
}
Value fn_contains(Context& ctx, const Node& node) {
    Value a = arg(ctx, node, 0), b = arg(ctx, node, 1);
    if (a.missing() || b.missing()) return eval::merge_missing(a, b);
    if (!eval::is_text(a) || !eval::is_text(b)) return eval::missing_value("contains needs text");
    return eval::text_of(a)->find(*eval::text_of(b)) != std::string_view::npos;
}
Value fn_length(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v;
    if (v.is<List>()) return Number::exact(static_cast<double>(v.as<List>()->size()));
    if (auto t = eval::text_of(v)) return Number::exact(static_cast<double>(char_count(*t)));
    return eval::missing_value("length needs text or a list");
}
Value fn_empty(Context& ctx, const Node& node) {
    std::optional<Value> scratch;
    const Value& v = arg_ref(ctx, node, 0, scratch);
    if (v.missing()) return v;
    if (v.is<List>()) return v.as<List>()->empty();
    if (auto t = eval::text_of(v)) return trim_view(*t).empty();
    if (v.is<eval::SectionRef>()) return trim_view(v.as<eval::SectionRef>().section->text).empty();
    return eval::missing_value("empty needs text, a list or a section");
}
Value fn_increasing(Context& ctx, const Node& node) {
    return with_numbers(ctx, arg(ctx, node, 0), [](const std::vector<Number>& xs) -> Value {
        for (std::size_t i = 1; i < xs.size(); ++i)
            if (xs[i].value < xs[i - 1].value) return false;
        return true;
    });
}
Value fn_text(Context& ctx, const Node& node) {
    Value v = arg(ctx, node, 0);
    if (v.missing()) return v;
    return eval::to_text(ctx, v);
}

// ---- the registry ----------------------------------------------------------------

// clang-format off
const Builtin builtins[] = {
    {"sum", 1, 1, false, "sum(list) or sum(x in list, number)", numbers_in_list, fn_sum},
    {"sum", 2, 2, true, "sum(list) or sum(x in list, number)", binder_number, fn_sum_bound},
    {"count", 1, 1, false, "count(list) or count(x in list, condition)",
        [](const std::vector<Type>& a, std::string& e) { need_list(a[0], e); return number_type(); }, fn_count},
    {"count", 2, 2, true, "count(list) or count(x in list, condition)",
        [](const std::vector<Type>& a, std::string& e) { binder_condition(a, e); return number_type(); }, fn_count_bound},
    {"min", 1, 1, false, "min(list), min(a, b, …) or min(x in list, number)", numbers_in_list, fn_min},
    {"min", 2, -1, false, "min(list), min(a, b, …) or min(x in list, number)", all_numeric, fn_min_args},
    {"min", 2, 2, true, "min(list), min(a, b, …) or min(x in list, number)", binder_number, fn_min_bound},
    {"max", 1, 1, false, "max(list), max(a, b, …) or max(x in list, number)", numbers_in_list, fn_max},
    {"max", 2, -1, false, "max(list), max(a, b, …) or max(x in list, number)", all_numeric, fn_max_args},
    {"max", 2, 2, true, "max(list), max(a, b, …) or max(x in list, number)", binder_number, fn_max_bound},
    {"abs", 1, 1, false, "abs(number)", all_numeric, fn_abs},
    {"round", 1, 2, false, "round(number) or round(number, digits)", all_numeric, fn_round},
    {"all", 1, 1, false, "all(list of conditions) or all(x in list, condition)", conditions_in_list, fn_all},
    {"all", 2, 2, true, "all(list of conditions) or all(x in list, condition)", binder_condition, fn_all_bound},
    {"any", 1, 1, false, "any(list of conditions) or any(x in list, condition)", conditions_in_list, fn_any},
    {"any", 2, 2, true, "any(list of conditions) or any(x in list, condition)", binder_condition, fn_any_bound},
    {"filter", 2, 2, true, "filter(x in list, condition)",
        [](const std::vector<Type>& a, std::string& e) { binder_condition(a, e); return Type::list_of(a[0].element_type()); }, fn_filter},
    {"map", 2, 2, true, "map(x in list, expression)",
        [](const std::vector<Type>& a, std::string&) { return Type::list_of(a[1]); }, fn_map},
    {"first", 1, 1, false, "first(list)",
        [](const std::vector<Type>& a, std::string& e) { need_list(a[0], e); return a[0].element_type(); }, fn_first},
    {"last", 1, 1, false, "last(list)",
        [](const std::vector<Type>& a, std::string& e) { need_list(a[0], e); return a[0].element_type(); }, fn_last},
    {"has_section", 1, 1, false, "has_section(name)",
        [](const std::vector<Type>& a, std::string& e) { return texts_to(a, e, bool_type()); }, fn_has_section},
    {"section", 1, 1, false, "section(name)",
        [](const std::vector<Type>& a, std::string& e) { return texts_to(a, e, Type::of(Kind::Section)); }, fn_section},
    {"matches", 2, 2, false, "matches(text, pattern)",
        [](const std::vector<Type>& a, std::string& e) { return texts_to(a, e, bool_type()); }, fn_matches, 1},
    {"regex", 2, 2, false, "regex(text, pattern)",
        [](const std::vector<Type>& a, std::string& e) { return texts_to(a, e, bool_type()); }, fn_matches, 1},
    {"captures", 2, 2, false, "captures(text, pattern)",
        [](const std::vector<Type>& a, std::string& e) { return texts_to(a, e, Type::list_of(string_type())); }, fn_captures, 1},
    {"find_all", 2, 2, false, "find_all(text, pattern)",
        [](const std::vector<Type>& a, std::string& e) { return texts_to(a, e, Type::list_of(string_type())); }, fn_find_all, 1},
    {"numbers", 2, 2, false, "numbers(text, pattern)",
        [](const std::vector<Type>& a, std::string& e) { return texts_to(a, e, Type::list_of(number_type())); }, fn_numbers, 1},
    {"number", 1, 1, false, "number(text)",
        [](const std::vector<Type>& a, std::string& e) {
            need(types::is_text(a[0]) || types::is_numeric(a[0]), e, "expected text, not " + types::describe(a[0]));
            return number_type(); }, fn_number},
    {"present", 1, 1, false, "present(value)", [](const std::vector<Type>&, std::string&) { return bool_type(); }, fn_present},
    // Of a param, only a truth value, a number or a text: the other kinds of value
    // (a figure, a section, a list of them) point into the report they come from.
    // That the argument is a param, the compiler checks (ExpressionCompiler::compile_call).
    {"previous", 1, 1, false, "previous(table) or previous(param)",
        [](const std::vector<Type>& a, std::string& e) {
            need(a[0].kind == Kind::Table || a[0].kind == Kind::Bool || a[0].kind == Kind::Number ||
                     a[0].kind == Kind::String,
                 e, "expected a table (previous(表三)) or a param that is a condition, a number or a text "
                    "(previous(other_form)), not " + types::describe(a[0]));
            return a[0]; }, fn_previous},
    {"written", 1, 1, false, "written(cell)", [](const std::vector<Type>&, std::string&) { return bool_type(); }, fn_written},
    {"within", 3, 3, false, "within(a, b, tolerance)",
        [](const std::vector<Type>& a, std::string& e) { all_numeric(a, e); return bool_type(); }, fn_within},
    {"unit", 1, 1, false, "unit(number)", all_numeric, fn_unit},
    {"decimals", 1, 1, false, "decimals(number)", all_numeric, fn_decimals},
    {"contains", 2, 2, false, "contains(text, part)",
        [](const std::vector<Type>& a, std::string& e) { return texts_to(a, e, bool_type()); }, fn_contains},
    {"length", 1, 1, false, "length(text or list)",
        [](const std::vector<Type>& a, std::string& e) {
            need(types::is_text(a[0]) || types::is_list(a[0]), e, "expected text or a list, not " + types::describe(a[0]));
            return number_type(); }, fn_length},
    {"empty", 1, 1, false, "empty(text, list or section)",
        [](const std::vector<Type>& a, std::string& e) {
            need(types::is_text(a[0]) || types::is_list(a[0]) || a[0].kind == Kind::Section, e,
                 "expected text, a list or a section, not " + types::describe(a[0]));
            return bool_type(); }, fn_empty},
    {"increasing", 1, 1, false, "increasing(list of numbers)",
        [](const std::vector<Type>& a, std::string& e) { numbers_in_list(a, e); return bool_type(); }, fn_increasing},
    {"text", 1, 1, false, "text(value)", [](const std::vector<Type>&, std::string&) { return string_type(); }, fn_text},
};
// clang-format on

}  // namespace

const Builtin* find_builtin(std::string_view name, std::size_t arity, bool binder) {
    for (const auto& b : builtins) {
        if (b.name != name || b.binder != binder) continue;
        auto n = static_cast<int>(arity);
        if (n >= b.min_args && (b.max_args < 0 || n <= b.max_args)) return &b;
    }
    return nullptr;
}

bool builtin_exists(std::string_view name) {
    return std::any_of(std::begin(builtins), std::end(builtins), [&](const Builtin& b) { return b.name == name; });
}

std::string builtin_usage(std::string_view name) {
    for (const auto& b : builtins)
        if (b.name == name) return std::string(b.usage);
    return {};
}

std::vector<std::string> builtin_names() {
    std::vector<std::string> out;
    for (const auto& b : builtins)
        if (std::find(out.begin(), out.end(), b.name) == out.end()) out.emplace_back(b.name);
    return out;
}

}  // namespace gouji::program

namespace gouji {

RegexTablesWarmup::RegexTablesWarmup() {
    static std::once_flag once;
    bool first = false;
    std::call_once(once, [&] { first = true; });
    if (!first) return;
    try {
        thread_ = std::thread([] {
            UErrorCode status = U_ZERO_ERROR;
            UParseError pe{};
            // Besides the tables every pattern needs, ICU builds the data of a
            // Unicode property the first time a pattern names one: the script's
            // for \p{Han} and the general category's for \d, about a million
            // instructions between them, here rather than in the first rule that
            // writes one.
            std::unique_ptr<icu::RegexPattern> p(icu::RegexPattern::compile(u"\\d|\\s|\\p{Han}", 0, pe, status));
        });
    } catch (const std::system_error&) {
        // No thread to spare: the first pattern builds the tables, as without this.
    }
}

RegexTablesWarmup::~RegexTablesWarmup() {
    if (thread_.joinable()) thread_.join();
}

}  // namespace gouji
