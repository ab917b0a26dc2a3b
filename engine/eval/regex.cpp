#include "engine/eval/compiled_regex.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <system_error>
#include <unordered_map>
#include <utility>

#include <unicode/unistr.h>

#include "gouji/rules.hpp"
#include "gouji/text.hpp"
#include "rules/task_thread.hpp"

namespace gouji::program {

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

// Literals::anchors. Each word's bytes 1 and 2 (of a Chinese first character,
// the two that tell it from others), for the words of a pattern mostly start
// differently (未收到|没有收到|无申请); unless fewer pairs cover every word: two
// continuation bytes (inside one character) or two ASCII ones, taken greedily,
// the one most words not yet covered hold first (制作数量|新公开数量|…|有效件数:
// one pair, 数's). The greedy pass stops once it cannot do better than `first`
// within most_anchors: a pattern of hundreds of alternatives would take time
// quadratic in their count, for a plan thrown away.
void plan_anchors(CompiledRegex::Literals& literals) {
    using Pair = std::array<unsigned char, 2>;
    auto pair_at = [](const std::string& w, std::size_t at) {
        return Pair{static_cast<unsigned char>(w[at]), static_cast<unsigned char>(w[at + 1])};
    };
    auto inside_a_character = [](Pair p) {
        auto continuation = [](unsigned char b) { return (b & 0xC0) == 0x80; };
        return (continuation(p[0]) && continuation(p[1])) || (p[0] < 0x80 && p[1] < 0x80);
    };
    const auto& words = literals.words;
    std::vector<Pair> first;
    for (const auto& w : words)
        if (std::find(first.begin(), first.end(), pair_at(w, 1)) == first.end()) first.push_back(pair_at(w, 1));
    std::vector<Pair> fewer;
    std::vector<std::size_t> fewer_at(words.size(), 1);
    std::vector<bool> covered(words.size(), false);
    const std::size_t most = std::min(first.size() - 1, literals.most_anchors);
    std::size_t left = words.size();
    while (left > 0 && fewer.size() < most) {
        std::map<Pair, std::size_t> holders;  // of the words not yet covered
        for (std::size_t k = 0; k < words.size(); ++k) {
            if (covered[k]) continue;
            std::set<Pair> own{pair_at(words[k], 1)};
            for (std::size_t at = 2; at + 1 < words[k].size(); ++at)
                if (inside_a_character(pair_at(words[k], at))) own.insert(pair_at(words[k], at));
            for (const Pair& p : own) ++holders[p];
        }
        const Pair best =
            std::max_element(holders.begin(), holders.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->first;
        fewer.push_back(best);
        for (std::size_t k = 0; k < words.size(); ++k)
            for (std::size_t at = 1; !covered[k] && at + 1 < words[k].size(); ++at)
                if (pair_at(words[k], at) == best) {
                    fewer_at[k] = at;
                    covered[k] = true;
                    --left;
                }
    }
    const bool greedy = left == 0;
    literals.anchors.clear();
    literals.anchored.clear();
    if ((greedy ? fewer : first).size() > literals.most_anchors) return;
    literals.anchors = greedy ? fewer : first;
    literals.anchored.resize(literals.anchors.size());
    for (std::size_t k = 0; k < words.size(); ++k) {
        const std::size_t at = greedy ? fewer_at[k] : 1;
        const auto a = std::find(literals.anchors.begin(), literals.anchors.end(), pair_at(words[k], at));
        literals.anchored[static_cast<std::size_t>(a - literals.anchors.begin())].push_back({k, at});
    }
}

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
    literals.first_pairs.clear();
    for (const auto& w : literals.words)
        literals.first_pairs.push_back(
            static_cast<std::uint16_t>(pair_index(static_cast<unsigned char>(w[0]), static_cast<unsigned char>(w[1]))));
    for (const auto& w : literals.words)
        for (std::size_t j = 0; j + 1 < m; ++j) {
            auto& s = literals.shift[pair_index(static_cast<unsigned char>(w[j]), static_cast<unsigned char>(w[j + 1]))];
            s = std::min<std::uint8_t>(s, static_cast<std::uint8_t>(m - 2 - j));
        }
    plan_anchors(literals);
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
            // "(?!经)", "(?=…)", "(?:…)": a lookaround matches no text of its own (a
            // negative one requires its words' absence); a non-capturing group is
            // left out too, which only makes the analysis weaker.
            const bool special = i + 1 < branch.size() && branch[i + 1] == U'?';
            if (!optional && !special && end >= i + 2 && branch[end - 1] == U')') groups.push_back(branch.substr(i + 1, end - i - 2));
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

// The length of the marker that opens a group's text after its '(' ("?:", "?=",
// "?!", "?<=", "?<!"): a lookaround or a non-capturing group. 0 for any other "?…"
// (flags, named groups) and for text that starts no such group.
std::size_t group_marker(std::u32string_view after_paren) {
    if (!after_paren.starts_with(U"?")) return 0;
    const std::u32string_view rest = after_paren.substr(1);
    if (rest.starts_with(U":") || rest.starts_with(U"=") || rest.starts_with(U"!")) return 2;
    if (rest.starts_with(U"<=") || rest.starts_with(U"<!")) return 3;
    return 0;
}

// Whether `p` has a "(?" other than a lookaround or a non-capturing group: flags
// ("(?i)", "(?x)") change what its characters mean, and named groups are not read.
bool has_flags_or_named_groups(std::u32string_view p) {
    for (std::size_t at = p.find(U"(?"); at != std::u32string_view::npos; at = p.find(U"(?", at + 2))
        if (group_marker(p.substr(at + 1)) == 0) return true;
    return false;
}

std::optional<RequiredWords> required_words(const std::string& pattern) {
    std::u32string p = to_u32(pattern);
    // Flags ("(?i)" makes case not matter), and escapes that stand for a character
    // by its code or name ("\x41", "\u4E00", "\0101", "\cX", "\N{…}") or for text
    // matched before ("\1"), are not analysed; nor is quoting ("\Q…\E").
    if (has_flags_or_named_groups(p)) return std::nullopt;
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

// ICU gives U_REGEX_INVALID_RANGE both for a range that runs backwards ([z-a])
// and for one the pattern ends inside ("[a-"): the second is a '[' left open.
// Byte of that '[', if so.
std::optional<std::size_t> range_left_open(std::string_view pattern) {
    if (!pattern.ends_with('-')) return std::nullopt;
    std::optional<std::size_t> open;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '\\') ++i;
        else if (pattern[i] == '[') open = open ? open : std::optional<std::size_t>(i);
        else if (pattern[i] == ']' && open && i > *open + 1) open.reset();
    }
    return open;
}

// Byte of the first '[' of `pattern` that no ']' closes (ICU's sets nest:
// [a[b]); escaped brackets do not count, nor a ']' first in its set ([]a]).
std::optional<std::size_t> unclosed_bracket(std::string_view pattern) {
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\') ++i;
        else if (c == '[') open.push_back(i);
        else if (c == ']' && !open.empty() && i > open.back() + 1 && !(i == open.back() + 2 && pattern[i - 1] == '^'))
            open.pop_back();
    }
    if (open.empty()) return std::nullopt;
    return open.front();
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

namespace {

// The most characters a match of p[i, …) up to a ')' at this level (or the end)
// can span, lookarounds counted as if they matched text (they read that far past
// the match's ends) or, without `lookarounds_read`, not at all and not read (their
// text may be anything); nullopt for what the analysis does not read or cannot
// bound: '*', '+', "{n,}", anchors and word boundaries (whose answer depends on the
// text around a window), back references, quoting, flags, and \X (a grapheme
// cluster: a letter with any number of marks).
std::optional<std::size_t> longest_match(std::u32string_view p, std::size_t& i, int depth, bool lookarounds_read) {
    if (depth > 32) return std::nullopt;
    std::size_t longest = 0, branch = 0;
    while (i < p.size() && p[i] != U')') {
        const char32_t c = p[i];
        std::size_t atom = 1;
        if (c == U'|') {
            longest = std::max(longest, branch);
            branch = 0;
            ++i;
            continue;
        }
        if (c == U'(') {
            const std::size_t open = i;
            ++i;
            if (i < p.size() && p[i] == U'?') {
                const std::size_t marker = group_marker(p.substr(i));
                if (marker == 0) return std::nullopt;
                if (!lookarounds_read && p[i + 1] != U':') {  // zero-width: nothing of the match
                    i = past_group(p, open);
                    if (i > p.size() || p[i - 1] != U')') return std::nullopt;
                    if (i < p.size() && (p[i] == U'?' || p[i] == U'*' || p[i] == U'+' || p[i] == U'{')) return std::nullopt;
                    continue;
                }
                i += marker;
            }
            auto inner = longest_match(p, i, depth + 1, lookarounds_read);
            if (!inner || i >= p.size()) return std::nullopt;
            ++i;  // ')'
            atom = *inner;
        } else if (c == U'[') {
            const std::size_t end = past_group(p, i);
            if (end > p.size() || p[end - 1] != U']') return std::nullopt;
            i = end;
        } else if (c == U'\\') {
            if (i + 1 >= p.size()) return std::nullopt;
            const char32_t e = p[i + 1];
            if (std::u32string_view(U"bBAzZGQEkNX123456789").find(e) != std::u32string_view::npos) return std::nullopt;
            i += 2;
            if ((e == U'p' || e == U'P' || e == U'x') && i < p.size() && p[i] == U'{') {
                const std::size_t close = p.find(U'}', i);
                if (close == std::u32string_view::npos) return std::nullopt;
                i = close + 1;
            } else if (e == U'x') {
                i += 2;
            } else if (e == U'u') {
                i += 4;
            } else if (e == U'U') {
                i += 8;
            }
        } else if (c == U'^' || c == U'$') {
            return std::nullopt;
        } else {
            ++i;
        }
        // Its quantifier, if any.
        std::size_t times = 1;
        if (i < p.size() && (p[i] == U'*' || p[i] == U'+')) return std::nullopt;
        if (i < p.size() && p[i] == U'?') {
            ++i;
        } else if (i < p.size() && p[i] == U'{') {
            const std::size_t close = p.find(U'}', i);
            if (close == std::u32string_view::npos) return std::nullopt;
            const std::u32string_view bounds = p.substr(i + 1, close - i - 1);
            const std::size_t comma = bounds.find(U',');
            const std::u32string_view most = comma == std::u32string_view::npos ? bounds : bounds.substr(comma + 1);
            if (most.empty() || most.size() > 4) return std::nullopt;
            times = 0;
            for (char32_t d : most) {
                if (d < U'0' || d > U'9') return std::nullopt;
                times = times * 10 + static_cast<std::size_t>(d - U'0');
            }
            i = close + 1;
        }
        if (i < p.size() && (p[i] == U'?' || p[i] == U'+')) ++i;  // lazy or possessive: no longer
        branch += atom * times;
    }
    return std::max(longest, branch);
}

std::optional<std::size_t> longest_match(const std::string& pattern, bool lookarounds_read) {
    const std::u32string p = to_u32(pattern);
    std::size_t i = 0;
    auto n = longest_match(p, i, 0, lookarounds_read);
    if (!n || i != p.size()) return std::nullopt;  // a ')' no '(' opened
    return n;
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
            compiled->longest_match = longest_match(pattern, true);
            compiled->longest_consumed = longest_match(pattern, false);
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
        if (status == U_REGEX_MISSING_CLOSE_BRACKET)
            if (auto open = unclosed_bracket(pattern)) error_offset = *open;
        // Only where ICU noticed it, at the end: "[z-a]x[b-" fails at its backwards range first.
        if (status == U_REGEX_INVALID_RANGE && error_offset + 1 >= pattern.size())
            if (auto open = range_left_open(pattern)) {
                error = "invalid regular expression: a '[' is not closed by ']': the pattern ends inside [ ], after the "
                        "'-' of a range (write [a-z]; \\[ for a bracket itself, \\- for a dash) (ICU: U_REGEX_INVALID_RANGE)";
                error_offset = *open;
            }
        return nullptr;
    }
    std::lock_guard<std::mutex> lock(cache_mutex);
    if (cache.size() < max_cached) cache.emplace(pattern, compiled);
    return compiled;
}

namespace {

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

// Calls found(k) for each place in text where word k is, until it returns true,
// in no particular order: where its pair (Literals::anchors, `Anchors` of them) is,
// the word is compared. The pairs are looked for sixteen places at a time (GCC's
// vector extension: SSE2 on x86-64, NEON on ARM), each pair's bytes held in
// registers (hence the count as a template argument); most blocks of a text hold
// none.
template <std::size_t Anchors, class Found>
void each_word_at_anchors(const CompiledRegex::Literals& literals, std::string_view text, Found& found) {
    using Bytes = unsigned char __attribute__((vector_size(16)));
    using Mask = signed char __attribute__((vector_size(16)));
    std::array<Bytes, Anchors> first, second;
    for (std::size_t a = 0; a < Anchors; ++a) {  // each byte in every lane
        first[a] = Bytes{} + literals.anchors[a][0];
        second[a] = Bytes{} + literals.anchors[a][1];
    }
    const auto* t = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    // Whether a word holds its pair at `at`; true when found() says to stop.
    auto words_at = [&](std::size_t at) {
        for (std::size_t a = 0; a < Anchors; ++a) {
            if (literals.anchors[a][0] != t[at] || literals.anchors[a][1] != t[at + 1]) continue;
            for (const auto& [k, o] : literals.anchored[a])
                if (o <= at && text.substr(at - o).starts_with(literals.words[k]) && found(k)) return true;
            return false;  // the pairs differ from each other
        }
        return false;
    };
    std::size_t at = 1;  // a pair at `at`, `at` + 1 (no word holds its pair at its first byte)
    for (; at + 17 <= n; at += 16) {
        Bytes here, next;
        std::memcpy(&here, t + at, 16);
        std::memcpy(&next, t + at + 1, 16);
        Mask hit = (here == first[0]) & (next == second[0]);
        for (std::size_t a = 1; a < Anchors; ++a) hit |= (here == first[a]) & (next == second[a]);
        std::uint64_t halves[2];
        std::memcpy(halves, &hit, 16);
        if (!(halves[0] | halves[1])) continue;
        for (std::size_t lane = 0; lane < 16; ++lane)
            if (hit[lane] && words_at(at + lane)) return;
    }
    for (; at + 1 < n; ++at)
        if (words_at(at)) return;
}

// each_word_at_anchors<N> for N = anchors.size(), the run-time count made a
// template argument (one instance per count up to most_anchors).
template <class Found, std::size_t... Less>
void each_anchored_word_found(const CompiledRegex::Literals& literals, std::string_view text, Found& found,
                              std::index_sequence<Less...>) {
    (void)((literals.anchors.size() == Less + 1 && (each_word_at_anchors<Less + 1>(literals, text, found), true)) || ...);
}

// Walks the text in one pass (Literals::shift, or Literals::anchors for a long
// text), calling found(k) once for each place word k starts at, until it returns
// true. Not in the order of those places: callers only collect which words occur.
template <class Found>
void each_word_found(const CompiledRegex::Literals& literals, std::string_view text, Found found) {
    // A figure's few words are passed sooner by the shifts.
    constexpr std::size_t long_text = 64;
    if (!literals.anchors.empty() && text.size() >= long_text)
        return each_anchored_word_found(literals, text, found,
                                        std::make_index_sequence<CompiledRegex::Literals::most_anchors>());
    const std::size_t m = literals.shortest, n = text.size();
    const auto* t = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t i = m - 1; i < n;) {  // text[i + 1 - m, i] is the window
        if (std::uint8_t s = literals.shift[pair_index(t[i - 1], t[i])]) {
            i += s;
            continue;
        }
        const std::string_view rest = text.substr(i + 1 - m);
        const std::size_t first = pair_index(t[i + 1 - m], t[i + 2 - m]);
        for (std::size_t k = 0; k < literals.words.size(); ++k)
            if (literals.first_pairs[k] == first && rest.starts_with(literals.words[k]) && found(k)) return;
        ++i;
    }
}

// Whether any of the words occurs, in one pass over the text.
bool contains_any(const CompiledRegex::Literals& literals, std::string_view text) {
    bool any = false;
    each_word_found(literals, text, [&](std::size_t) { return any = true; });
    return any;
}

// Which of the words occur, by index: in one pass when Literals::shift allows
// it, stopping once every word has been seen, else one search each.
std::vector<bool> words_present(const CompiledRegex::Literals& literals, std::string_view text) {
    std::vector<bool> present(literals.words.size(), false);
    if (literals.shift.empty()) {
        for (std::size_t k = 0; k < literals.words.size(); ++k)
            present[k] = find_word(text, literals.words[k]) != std::string_view::npos;
        return present;
    }
    std::size_t missing = literals.words.size();
    each_word_found(literals, text, [&](std::size_t k) {
        if (!present[k]) {
            present[k] = true;
            --missing;
        }
        return missing == 0;
    });
    return present;
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

namespace {

// Calls place(from, to) for each place in `text` of a word `regex` requires
// (bytes), word by word, until it returns false; false then. Absent words are
// skipped after one pass for them all, not scanned for one by one.
template <class Place>
bool each_required_place(const CompiledRegex& regex, std::string_view text, Place place) {
    const auto& words = regex.required->words;
    const std::vector<bool> present =
        words.size() > 1 ? words_present(*regex.required, text) : std::vector<bool>(words.size(), true);
    for (std::size_t k = 0; k < words.size(); ++k) {
        if (!present[k]) continue;
        const std::string& word = words[k];
        for (std::size_t at = find_word(text, word); at != std::string_view::npos; at = find_word(text, word, at + 1))
            if (!place(at, at + word.size())) return false;
    }
    return true;
}

}  // namespace

std::optional<std::vector<std::pair<std::size_t, std::size_t>>> search_windows(const CompiledRegex& regex,
                                                                               std::string_view text) {
    if (!regex.required || !regex.longest_match) return std::nullopt;
    const std::size_t reach = *regex.longest_match;
    auto is_lead = [&](std::size_t at) { return (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80; };
    auto back = [&](std::size_t at) {  // `reach` characters before `at`
        for (std::size_t n = 0; n < reach && at > 0; ++n)
            do --at;
            while (at > 0 && !is_lead(at));
        return at;
    };
    auto ahead = [&](std::size_t at) {  // `reach` characters after `at`
        for (std::size_t n = 0; n < reach && at < text.size(); ++n)
            do ++at;
            while (at < text.size() && !is_lead(at));
        return at;
    };
    std::vector<std::pair<std::size_t, std::size_t>> windows;
    std::size_t covered = 0;
    const bool few = each_required_place(regex, text, [&](std::size_t from, std::size_t to) {
        windows.emplace_back(back(from), ahead(to));
        covered += windows.back().second - windows.back().first;
        // Windows over most of the text cost more than one search of it all.
        return covered <= text.size();
    });
    if (!few) return std::nullopt;
    std::sort(windows.begin(), windows.end());
    std::vector<std::pair<std::size_t, std::size_t>> merged;
    for (const auto& w : windows) {
        if (!merged.empty() && w.first <= merged.back().second) merged.back().second = std::max(merged.back().second, w.second);
        else merged.push_back(w);
    }
    return merged;
}

std::optional<std::vector<std::pair<std::size_t, std::size_t>>> required_word_places(const CompiledRegex& regex,
                                                                                     std::string_view text) {
    if (!regex.required || !regex.longest_consumed) return std::nullopt;
    // Each place is searched from up to this many bytes before it (a character is
    // at most four): past the text's size in all, one search of it all costs less.
    const std::size_t reach = 4 * *regex.longest_consumed;
    std::vector<std::pair<std::size_t, std::size_t>> places;
    const bool few = each_required_place(regex, text, [&](std::size_t from, std::size_t to) {
        places.emplace_back(from, to);
        return places.size() * reach <= text.size();
    });
    if (!few) return std::nullopt;
    std::sort(places.begin(), places.end());
    return places;
}

bool lacks_required_words(const CompiledRegex& regex, std::string_view text) {
    if (!regex.required) return false;
    auto has_runs = [&](const std::vector<std::string>& runs) {
        return std::all_of(runs.begin(), runs.end(), [&](const std::string& run) { return find_word(text, run) != std::string_view::npos; });
    };
    // One word per alternative, in the alternatives' order: only an alternative
    // whose longest run is there needs its other runs looked for. Looking for
    // each alternative's runs in turn would scan a long text once per absent run
    // (a section of 26 KB holding 采购项目 of the 60号 form's six alternatives); a
    // short one (a figure's words) is done sooner by stopping at the first word.
    constexpr std::size_t long_text = 512;
    if (text.size() > long_text && regex.required->words.size() == regex.required_runs.size() &&
        regex.required_runs.size() > 1) {
        const std::vector<bool> present = words_present(*regex.required, text);
        for (std::size_t k = 0; k < present.size(); ++k)
            if (present[k] && has_runs(regex.required_runs[k])) return false;
        return true;
    }
    if (!contains_literal(*regex.required, text)) return true;
    return std::none_of(regex.required_runs.begin(), regex.required_runs.end(), has_runs);
}

}  // namespace gouji::program

namespace gouji {

RegexTablesWarmup::RegexTablesWarmup() {
    static std::once_flag once;
    bool first = false;
    std::call_once(once, [&] { first = true; });
    if (!first) return;
    try {
        thread_ = std::make_unique<rules::TaskThread>([] {
            UErrorCode status = U_ZERO_ERROR;
            UParseError pe{};
            // Besides the tables every pattern needs, ICU builds the data of a
            // Unicode property the first time a pattern names one: the script's
            // for \p{Han} and the general category's for \d, about a million
            // instructions between them, here rather than in the first rule that
            // writes one.
            std::unique_ptr<icu::RegexPattern> p(icu::RegexPattern::compile(u"\\d|\\s|\\p{Han}", 0, pe, status));
        });
        rules::offer_spare_thread(*thread_);
    } catch (const std::system_error&) {
        // No thread to spare: the first pattern builds the tables, as without this.
    }
}

RegexTablesWarmup::~RegexTablesWarmup() { join(); }

void RegexTablesWarmup::join() {
    if (!thread_) return;
    rules::withdraw_spare_thread(*thread_);
    thread_.reset();
}

}  // namespace gouji
