// Figure scanning: one pass over a block's folded characters. Numbers become
// figures only where a count can stand (followed by a unit, a %, or a clause
// boundary after words); everything else that contains digits — dates, document
// numbers, phone numbers, URLs, numbering, book titles — is stepped over whole.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

#include "engine/model/block_position.hpp"
#include "engine/model/narrative.hpp"
#include "engine/model/narrative_scan.hpp"
#include "gouji/text.hpp"

namespace gouji::narrative {

namespace {

std::string utf8_of(std::u32string_view text) { return to_utf8(text); }

using std::u32string_view;

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_letter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
bool is_ideograph(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }
bool one_of(char32_t c, u32string_view set) { return set.find(c) != u32string_view::npos; }
inline bool is_cn_numeral(char32_t c) {
    switch (c) {
        case U'〇': case U'零': case U'一': case U'二': case U'两': case U'三': case U'四': case U'五': case U'六':
        case U'七': case U'八': case U'九': case U'十': case U'百': case U'千': case U'万': case U'亿':
            return true;
        default:
            return false;
    }
}

// A set of the characters First..Last as a bitmap: one test per character where
// a search through a list of characters costs one per member.
template <char32_t First, char32_t Last>
class CharSet {
public:
    constexpr CharSet() = default;
    constexpr explicit CharSet(u32string_view chars) {
        for (char32_t c : chars) add(c);
    }
    template <std::size_t N>
    static constexpr CharSet first_chars_of(const u32string_view (&words)[N]) {
        CharSet set;
        for (u32string_view w : words) set.add(w.front());
        return set;
    }
    template <std::size_t N>
    static constexpr CharSet last_chars_of(const u32string_view (&words)[N]) {
        CharSet set;
        for (u32string_view w : words) set.add(w.back());
        return set;
    }
    constexpr void add(char32_t c) {
        // Sets of words are built in constant evaluation, where this stops the build.
        if (c < First || c > Last) throw "CharSet: a character outside its range";
        bits_[(c - First) >> 6] |= std::uint64_t{1} << ((c - First) & 63);
    }
    constexpr bool has(char32_t c) const {
        if (c < First || c > Last) return false;
        std::uint32_t k = c - First;
        return (bits_[k >> 6] >> (k & 63)) & 1;
    }

private:
    std::uint64_t bits_[(Last - First) / 64 + 1] = {};
};
// CJK Unified Ideographs: every word the scanner looks for starts and ends with one.
using IdeographSet = CharSet<0x4E00, 0x9FFF>;

// Ideographs the scanner acts on: the Chinese numerals (all but 〇, which is not in
// the ideograph blocks) and the first characters of the words it looks for. Every
// other ideograph is stepped over, and they are the bulk of the text.
constexpr IdeographSet kSpecialIdeographs(U"零一二两三四五六七八九十百千万亿其中主具分包如等在年");

// The ideographs that are neither a numeral nor a word the scanner acts on, in
// one bitmap from U+3400 to U+9FFF: the scanner asks about nearly every character.
constexpr auto kPlainIdeographs = [] {
    CharSet<0x3400, 0x9FFF> plain;
    for (char32_t c = 0x3400; c <= 0x9FFF; ++c)
        if (c <= 0x4DBF || (c >= 0x4E00 && !kSpecialIdeographs.has(c))) plain.add(c);
    return plain;
}();

// An ideograph that is neither a numeral nor a word the scanner acts on.
bool is_plain_ideograph(char32_t c) { return kPlainIdeographs.has(c); }

// gouji::is_space up to U+3000, computed once (it asks ICU about every
// punctuation mark there); is_blank answers the rest.
using WhiteSpaceTable = CharSet<0, 0x3000>;
const WhiteSpaceTable& white_space() {
    static const WhiteSpaceTable table = [] {
        WhiteSpaceTable spaces;
        for (char32_t c = 0; c <= 0x3000; ++c)
            if (is_space(c)) spaces.add(c);
        return spaces;
    }();
    return table;
}

// gouji::is_space with the common cases first: this runs on every character.
inline bool is_blank(char32_t c) {
    if (c < 0x80) return c == U' ' || (c >= U'\t' && c <= U'\r');
    // Above U+3000 (all of CJK) only U+FEFF is white space.
    if (c > 0x3000) return c == 0xFEFF;
    return white_space().has(c);
}
bool is_quote(char32_t c) {
    switch (c) {
        case U'“': case U'”': case U'‘': case U'’': case U'"': case U'\'': case U'「': case U'」': case U'『': case U'』':
            return true;
        default:
            return false;
    }
}
bool is_sentence_end(char32_t c) { return c == U'。' || c == U'!' || c == U'?'; }
// A character right before a number that makes it no figure: 第3, 〔2019〕, [1],
// 【2】, the second number of 1/2, 1.5 or 1~5, #3, @2, file_2.
bool marks_non_figure(char32_t c) {
    switch (c) {
        case U'第': case U'〔': case U'[': case U'【': case U'/': case U'.': case U'~': case U'～': case U'#':
        case U'@': case U'_':
            return true;
        default:
            return false;
    }
}
// Characters that close what a sentence end opened: "。”" keeps the next sentence waiting.
bool is_closer(char32_t c) { return one_of(c, U"”’」』)》】"); }

int boundary_strength(char32_t c) {
    switch (c) {
        case U'、': return 1;
        case U',': return 2;
        case U';':
        case U':': return 3;
        default: return 0;
    }
}

inline bool starts_with(u32string_view s, std::size_t at, u32string_view word) {
    if (at >= s.size() || s.size() - at < word.size() || s[at] != word.front()) return word.empty();
    return s.compare(at, word.size(), word) == 0;
}
inline bool ends_with(u32string_view s, std::size_t at, u32string_view word) {
    return at >= word.size() && s.substr(at - word.size(), word.size()) == word;
}

// How the words after a count of cases ("一起") may start: the case, what led to it,
// or its outcome ("其中一起尚未审结").
// Not 申请 or 审结, which follow "together" as often ("三名申请人一起申请行政复议",
// "与复议机关一起审结").
constexpr u32string_view kCaseWords[] = {U"行政", U"复议", U"诉讼", U"案", U"因", U"涉及", U"关于", U"有关",
                                         U"针对", U"被申请", U"被提起", U"政府信息", U"信息公开", U"依申请",
                                         U"维持", U"纠正", U"撤销", U"驳回", U"确认", U"尚未", U"已审结",
                                         U"胜诉", U"败诉", U"结果"};


// `words`: views (the lists here) or strings (the catalog's).
template <typename Words>
u32string_view match_at(u32string_view s, std::size_t at, const Words& words) {
    if (at >= s.size()) return {};
    // Most words differ from the text at their first character: that test, inline,
    // spares a call per word.
    const char32_t first = s[at];
    for (u32string_view w : words)
        if (w.front() == first && starts_with(s, at, w)) return w;
    return {};
}

// The unit after a number (templates.yaml `prose-units`), longest first where one is
// a prefix of another ("六部分" is six parts, not six 部); tried only when the
// character after the number starts one of them.
u32string_view match_unit(const Scan& scan, u32string_view s, std::size_t at) {
    if (at >= s.size() || !scan.unit_firsts.has(s[at])) return {};
    return match_at(s, at, scan.words->prose_units);
}

struct Hedge {
    u32string_view word;
    bool partial;
};
// Words that open an enumeration; the "主要…" ones say it is not all of it.
constexpr Hedge kHedges[] = {{U"主要类别包括", true}, {U"主要类别有", true}, {U"主要类别为", true},
                             {U"主要包括", true},     {U"主要涉及", true},   {U"主要有", true},
                             {U"主要为", true},       {U"主要是", true},     {U"具体如下", false},
                             {U"具体为", false},      {U"分别为", false},    {U"分别是", false},
                             {U"包括", false},        {U"如下", false}};

// The first characters of kHedges: most ideographs start none of them.
constexpr IdeographSet kHedgeFirsts = [] {
    IdeographSet firsts;
    for (const Hedge& h : kHedges) firsts.add(h.word.front());
    return firsts;
}();

// Ideographs before a numeral that make it no count: 第三, 每一, 之一, 统一, 唯一…
constexpr IdeographSet kBeforeNonCount(U"第每之统唯同逐单某任星周初专划合不归惟整其前");

// A leading numbering mark: "1.", "2、", "(3)", "（一）", "一、", "①".
std::size_t numbering_length(u32string_view s) {
    if (s.empty()) return 0;
    if (s[0] >= U'①' && s[0] <= U'⑳') return 1;
    std::size_t k = 0;
    if (s[0] == U'(') {
        k = 1;
        while (k < s.size() && k < 5 && (is_digit(s[k]) || is_cn_numeral(s[k]))) ++k;
        return k > 1 && k < s.size() && s[k] == U')' ? k + 1 : 0;
    }
    if (is_digit(s[0])) {
        while (k < s.size() && is_digit(s[k])) ++k;
        if (k < s.size() && (s[k] == U'、' || (s[k] == U'.' && (k + 1 >= s.size() || !is_digit(s[k + 1]))))) return k + 1;
        return 0;
    }
    while (k < s.size() && k < 4 && is_cn_numeral(s[k])) ++k;
    return k > 0 && k < s.size() && s[k] == U'、' ? k + 1 : 0;
}

// A leading date or year: "2019年", "2017年度", "12月", "31日", "1-11月", "截至", "以来".
std::size_t date_length(u32string_view s) {
    for (u32string_view w : {u32string_view(U"截至"), u32string_view(U"截止"), u32string_view(U"以来"),
                             u32string_view(U"年底"), u32string_view(U"年初"), u32string_view(U"底")})
        if (starts_with(s, 0, w)) return w.size();
    std::size_t k = 0;
    while (k < s.size() && is_digit(s[k])) ++k;
    if (k == 0) return 0;
    if (k < s.size() && s[k] == U'-') {
        std::size_t m = k + 1;
        while (m < s.size() && is_digit(s[m])) ++m;
        if (m > k + 1) k = m;
    }
    if (starts_with(s, k, U"年度")) return k + 2;
    if (k < s.size() && (s[k] == U'年' || s[k] == U'月' || s[k] == U'日' || s[k] == U'号')) return k + 1;
    return 0;
}

constexpr u32string_view kLeadingFillers[] = {
    U"其中", U"另外", U"此外", U"同时", U"共计", U"合计", U"总计", U"共有", U"共", U"全年", U"全市",
    U"全县", U"全区", U"全省", U"本年度", U"本年", U"今年", U"当年", U"年内", U"年度"};
constexpr u32string_view kTrailingFillers[] = {
    U"共计", U"合计", U"总计", U"超过", U"将近", U"大约", U"接近", U"突破", U"达到", U"约为", U"分别",
    U"为", U"达", U"是", U"有", U"了", U"的", U"约", U"近", U"超", U"逾"};

// Every filler starts and ends with an ideograph (IdeographSet refuses others at compile time).
constexpr IdeographSet kLeadingFillerFirsts = IdeographSet::first_chars_of(kLeadingFillers);
constexpr IdeographSet kTrailingFillerLasts = IdeographSet::last_chars_of(kTrailingFillers);

bool is_context_noise(char32_t c) {
    switch (c) {
        case U'*': case U'#': case U'`': case U'|': case U'>':
            return true;
        default:
            return is_quote(c) || is_blank(c);
    }
}
bool is_edge_punct(char32_t c) {
    switch (c) {
        case U'、': case U',': case U';': case U':': case U'(': case U')': case U'!': case U'?': case U'。':
        case U'.': case U'-': case U'—': case U'·': case U'…': case U'~':
            return true;
        default:
            return false;
    }
}

// Decodes `utf8` into folded and original characters, the offsets of '\n' into
// `newlines`; returns the count. `Limited`: stop after `limit` characters (a
// separate loop, so the whole-block decode pays no test for it).
template <bool Limited>
std::size_t decode_chars(std::string_view utf8, char32_t* folded_out, char32_t* original_out,
                         std::vector<std::size_t>& newlines, std::size_t limit) {
    const auto* const bytes = reinterpret_cast<const unsigned char*>(utf8.data());
    const std::size_t size = utf8.size();
    std::size_t n = 0;
    for (std::size_t i = 0; i < size; ++n) {
        if constexpr (Limited)
            if (n == limit) break;
        const unsigned b0 = bytes[i];
        if (b0 < 0x80) {  // ASCII is its own NFKC
            ++i;
            original_out[n] = folded_out[n] = b0;
            if (b0 == U'\n') newlines.push_back(n);
            continue;
        }
        // E4 B8..E9 BF start U+4E00..U+9FFF: ideographs, their own NFKC, never overlong
        // or surrogates. Most of a report's text.
        if ((b0 - 0xE5u <= 0xE9u - 0xE5u || (b0 == 0xE4 && i + 1 < size && bytes[i + 1] >= 0xB8)) && i + 2 < size) {
            const unsigned b1 = bytes[i + 1] ^ 0x80u, b2 = bytes[i + 2] ^ 0x80u;  // < 0x40 when continuations
            if ((b1 | b2) < 0x40) {
                i += 3;
                original_out[n] = folded_out[n] = ((b0 & 0x0Fu) << 12) | (b1 << 6) | b2;
                continue;
            }
        }
        if ((b0 & 0xF0) == 0xE0 && i + 2 < size) {  // the other three-byte characters
            const unsigned b1 = bytes[i + 1] ^ 0x80u, b2 = bytes[i + 2] ^ 0x80u;
            const char32_t c = ((b0 & 0x0Fu) << 12) | (b1 << 6) | b2;
            if ((b1 | b2) < 0x40 && c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
                i += 3;
                original_out[n] = c;
                // CJK ideographs are their own NFKC: skip the table for them.
                folded_out[n] = is_ideograph(c) ? c : fold_char(c);
                continue;
            }
        }
        const char32_t c = next_char(utf8, i);
        original_out[n] = c;
        folded_out[n] = is_ideograph(c) ? c : fold_char(c);
    }
    return n;
}

thread_local std::size_t decoded_count = 0;

}  // namespace

std::size_t decoded_characters() { return decoded_count; }

void BlockText::decode(const Block& block, std::size_t limit) {
    const std::string_view utf8 = block.text;
    // Sized for the worst case (one character per byte).
    if (capacity_ < utf8.size()) {
        capacity_ = std::max(utf8.size(), 2 * capacity_);
        buffer_ = std::make_unique_for_overwrite<char32_t[]>(2 * capacity_);
    }
    newlines.clear();
    pos = block.pos;
    anchors = block.anchors;
    char32_t* const folded_out = buffer_.get();
    char32_t* const original_out = folded_out + capacity_;
    // A block has at most one character per byte: a limit past that is none.
    const std::size_t n = limit >= utf8.size() ? decode_chars<false>(utf8, folded_out, original_out, newlines, limit)
                                               : decode_chars<true>(utf8, folded_out, original_out, newlines, limit);
    chars = u32string_view(folded_out, n);
    original = u32string_view(original_out, n);
    decoded_count += n;
}

SourcePos BlockText::position_of(std::size_t offset) const {
    return position_in_text(pos, anchors, newlines, offset);
}

std::string BlockText::original_text(std::size_t begin, std::size_t end) const {
    end = std::min(end, original.size());
    if (begin >= end) return {};
    return utf8_of(original.substr(begin, end - begin));
}

std::string normalize_context(std::u32string_view raw) {
    // Runs for every figure: the scratch keeps its capacity from call to call, and
    // is written through a pointer (push_back per character is a call each).
    thread_local std::u32string scratch;
    if (scratch.size() < raw.size()) scratch.resize(raw.size());
    char32_t* const kept = scratch.data();
    std::size_t n = 0;
    bool dash = false;
    for (char32_t c : raw) {
        kept[n] = c;
        // Ideographs, the bulk of a context, are never noise.
        if (is_ideograph(c)) {
            ++n;
        } else if (!is_context_noise(c)) {
            ++n;
            dash = dash || c == U'—';
        }
    }
    // Page footers of PDF extracts ("— 3 —") inside a sentence broken across pages.
    for (std::size_t at = dash ? u32string_view(kept, n).find(U'—') : u32string_view::npos;
         at != u32string_view::npos && at + 1 < n;
         at = u32string_view(kept, n).find(U'—', at + 1)) {
        std::size_t k = at + 1;
        while (k < n && is_digit(kept[k])) ++k;
        if (k > at + 1 && k < n && kept[k] == U'—') {
            std::copy(kept + k + 1, kept + n, kept + at);
            n -= k + 1 - at;
        }
    }
    u32string_view v(kept, n);
    for (bool changed = true; changed && !v.empty();) {
        changed = false;
        std::size_t cut = 0;
        if (is_edge_punct(v[0])) cut = 1;
        if (!cut) cut = numbering_length(v);
        if (!cut) cut = date_length(v);
        if (!cut) {
            // Most contexts start with none of the fillers' first characters: no need to try them.
            u32string_view w = kLeadingFillerFirsts.has(v[0]) ? match_at(v, 0, kLeadingFillers) : u32string_view();
            // 共享, 共同, 共建: words, not "in all".
            bool word = w == U"共" && v.size() > 1 && one_of(v[1], U"享同建治性");
            if (!w.empty() && w.size() < v.size() && !word) cut = w.size();
        }
        if (cut) {
            v.remove_prefix(cut);
            changed = true;
        }
    }
    for (bool changed = true; changed && !v.empty();) {
        changed = false;
        if (is_edge_punct(v.back()) && v.back() != U')') {
            v.remove_suffix(1);
            changed = true;
            continue;
        }
        if (!kTrailingFillerLasts.has(v.back())) continue;
        for (u32string_view w : kTrailingFillers) {
            if (w.size() >= v.size() || !ends_with(v, v.size(), w)) continue;
            // 累计 and 公共 end in 计/共 without being fillers.
            if (w == U"共" && ends_with(v, v.size() - 1, U"公")) continue;
            v.remove_suffix(w.size());
            changed = true;
            break;
        }
    }
    return utf8_of(v);
}

bool is_table_cell_text(std::u32string_view folded) {
    std::size_t b = 0, e = folded.size();
    while (b < e && is_blank(folded[b])) ++b;
    while (e > b && is_blank(folded[e - 1])) --e;
    u32string_view s = folded.substr(b, e - b);
    if (s.empty()) return false;
    // "（其中修订 16 件）": a remark under a table cell.
    if (s.size() <= 24 && s.front() == U'(' && s.back() == U')') return true;
    // A unit in brackets after the number: "3456160965.06(元)".
    if (s.back() == U')') {
        std::size_t open = s.rfind(U'(');
        if (open != u32string_view::npos && s.size() - open <= 6) s = s.substr(0, open);
    }
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    if (s.empty() || !is_digit(s.back())) return false;
    bool all_number = std::all_of(s.begin(), s.end(), [](char32_t c) {
        return is_digit(c) || one_of(c, U".,+-%") || is_blank(c);
    });
    if (all_number) return true;
    if (s.size() > 30) return false;
    return std::none_of(s.begin(), s.end(), [](char32_t c) { return one_of(c, U",。;:!?"); });
}

namespace {

// "共受理…", "总数为…", "合计…": the clause states a total (公共, 共享 do not).
bool states_total(u32string_view clause) {
    for (std::size_t k = 0; k < clause.size(); ++k) {
        char32_t c = clause[k];
        if (c != U'共' && c != U'总' && c != U'合') continue;  // runs for every figure's clause
        char32_t next = k + 1 < clause.size() ? clause[k + 1] : 0;
        if (c == U'共' && !(k > 0 && clause[k - 1] == U'公') && !one_of(next, U"享同建治性识")) return true;
        if ((c == U'总' && one_of(next, U"数计量额")) || (c == U'合' && next == U'计')) return true;
    }
    return false;
}

constexpr std::size_t kMaxClause = 120;

// The words between a count and a percentage that make it the count's share:
// "，占", "，占比", "（", "，占申请总数的", or nothing ("38条，3.1%"). Never more
// than Scan::kShareTail visible characters.
bool states_share(u32string_view between) {
    u32string_view b = between;
    if (!b.empty() && one_of(b.front(), U",(:")) b.remove_prefix(1);
    if (b.empty() || b == U"占" || b == U"占比" || b == U"约占" || b == U"占比为" || b == U"比例为" || b == U"比重为" ||
        b == U"占比约")
        return true;
    return b.size() <= 10 && b.front() == U'占' && (b.back() == U'的' || b.back() == U'为') &&
           std::none_of(b.begin(), b.end(), [](char32_t c) { return boundary_strength(c) != 0; });
}
static_assert(Scan::kShareTail >= 12, "states_share is false for 12 visible characters: the tail may stop there");

// Appends the characters of `text` that are neither blank nor quotes, stopping once
// `out` holds `limit` characters.
void append_visible(std::u32string& out, u32string_view text, std::size_t limit) {
    for (char32_t c : text) {
        if (out.size() >= limit) return;
        if (!is_blank(c) && !is_quote(c)) out.push_back(c);
    }
}

// The characters of a number as written, in a fixed buffer: a number longer than
// it is never a figure (scan_arabic gives up past 16 digits), so only the count
// goes on past the buffer.
class Digits {
public:
    void push_back(char c) {
        if (size_ < sizeof chars_) chars_[size_] = c;
        ++size_;
    }
    std::size_t size() const { return size_; }
    // Whole only while size() <= the buffer's 32 characters.
    std::string_view view() const { return {chars_, std::min(size_, sizeof chars_)}; }

private:
    char chars_[32];
    std::size_t size_ = 0;
};

class BlockScanner {
public:
    BlockScanner(ScannedBlock& block, Scan& scan, std::size_t block_index)
        : block_(block),
          scan_(scan),
          text_(scan.text),
          s_(scan.text.chars),
          n_(s_.size()),
          block_index_(block_index),
          carried_(scan.carried),
          clause_(scan.clause),
          between_(scan.between) {}

    void run(int carried_depth) {
        depth_ = carried_depth;
        if (block_.continues_previous) {
            topic_year_ = scan_.open_topic_year;
            clause_year_ = scan_.open_clause_year;
            sentence_begin_ = npos;  // its sentence began in the block before
        }
        while (i_ < n_) {
            // The bulk of the text, stepped over in a local index.
            std::size_t i = i_;
            while (i < n_ && is_plain_ideograph(s_[i])) ++i;
            if (i != i_) {
                if (pending_sentence_) {
                    ++scan_.sentence;
                    pending_sentence_ = false;
                }
                i_ = i;
                continue;
            }
            step(s_[i_]);
        }
        // What a continuation line would need: the open clause, where it starts, the depth.
        if (clause_started_in_block() || carried_.empty()) {
            scan_.open_clause_block = block_index_;
            scan_.open_clause_begin = clause_begin_;
        }
        scan_.open_clause = clause_text(n_);
        scan_.open_depth = depth_;
        scan_.open_topic_year = topic_year_;
        scan_.open_clause_year = clause_year_;
        // What a percentage on the next line would need to state the share of this block's last count.
        scan_.open_tail.clear();
        if (!scan_.figures.empty() && scan_.figures.back().block == block_index_)
            append_visible(scan_.open_tail, s_.substr(scan_.figures.back().end), Scan::kShareTail);
    }

private:
    void step(char32_t c) {
        if (is_blank(c)) {
            ++i_;
            return;
        }
        if (pending_sentence_ && !is_closer(c)) {
            ++scan_.sentence;
            pending_sentence_ = false;
        }
        if (title_depth_ > 0) {
            if (c == U'》') --title_depth_;
            if (is_sentence_end(c)) {
                title_depth_ = 0;
                return end_sentence();
            }
            ++i_;
            return;
        }
        if (c == U'《') {
            ++title_depth_;
            ++i_;
            return;
        }
        if (is_letter(c)) return skip_word();
        if (is_digit(c)) return scan_arabic();
        if (is_cn_numeral(c)) return scan_chinese();
        if (c == U'(') return open_paren();
        if (c == U')') return close_paren();
        if (is_sentence_end(c)) return end_sentence();
        if (int strength = boundary_strength(c)) {
            push(TokenKind::Boundary, i_).strength = static_cast<std::int8_t>(strength);
            // "政策、规范性文件类信息": 、 joins words inside a label; it separates only parts.
            if (strength > 1) {
                cut(i_ + 1);
                clause_year_ = 0;
            }
            ++boundaries_;
            ++i_;
            return;
        }
        if (c == U'其' && i_ + 1 < n_ && s_[i_ + 1] == U'中') {
            // "2022年共收到申请98件。其中予以公开40件": a 其中 opening a sentence of its paragraph
            // breaks down the sentence before, and is of its year.
            if (topic_year_ == 0 && clause_year_ == 0 && scan_.tokens.size() > block_.first_token &&
                scan_.tokens.back().kind == TokenKind::SentenceEnd)
                topic_year_ = previous_topic_year_;
            push(TokenKind::Qizhong, i_);
            cut(i_ + 2);
            i_ += 2;
            return;
        }
        if (c == U'中' && label_zhong()) return;
        if (c == U'年') return year_word();
        if (kHedgeFirsts.has(c) && hedge()) return;
        if ((c == U'等' || (c == U'在' && i_ + 1 < n_ && s_[i_ + 1] == U'内')) && right_after_figure(i_)) {
            push(TokenKind::NotAll, i_);
            i_ += c == U'等' ? 1 : 2;
            return;
        }
        ++i_;
    }

    Token& push(TokenKind kind, std::size_t at) {
        Token& t = scan_.tokens.emplace_back();
        t.kind = kind;
        t.at = at;
        t.sentence = scan_.sentence;
        t.depth = depth_;
        return t;
    }

    void cut(std::size_t at) { clause_begin_ = std::max(clause_begin_, at); }

    // The clause before `end`, its last kMaxClause characters: a context is a phrase,
    // and a text without boundaries must not make every figure copy all of it.
    // Built in a buffer the next call overwrites.
    u32string_view clause_text(std::size_t end) {
        clause_.clear();
        if (!clause_started_in_block()) clause_ = carried_;
        if (end > clause_begin_) {
            std::size_t begin = std::max(clause_begin_, end > kMaxClause ? end - kMaxClause : 0);
            clause_.append(s_, begin, end - begin);
        }
        u32string_view clause(clause_);
        if (clause.size() > kMaxClause) clause.remove_prefix(clause.size() - kMaxClause);
        return clause;
    }
    bool clause_started_in_block() const { return clause_begin_ > 0; }

    void end_sentence() {
        push(TokenKind::SentenceEnd, i_);
        depth_ = 0;
        parens_.clear();
        previous_topic_year_ = topic_year_;
        topic_year_ = clause_year_ = 0;
        sentence_begin_ = i_ + 1;
        cut(i_ + 1);
        pending_sentence_ = true;
        ++i_;
    }

    void open_paren() {
        parens_.push_back({i_, clause_begin_, scan_.figures.size(), boundaries_, topic_year_, clause_year_});
        ++depth_;
        push(TokenKind::ParenOpen, i_);
        cut(i_ + 1);
        ++i_;
    }

    void close_paren() {
        if (depth_ == 0 && parens_.empty()) enclose_block_start();
        if (depth_ > 0) {
            --depth_;
            if (!parens_.empty()) {
                OpenParen open = parens_.back();
                parens_.pop_back();
                // What a parenthesis names a year of is inside it: "予以公开60件（2022年40件）".
                topic_year_ = open.topic_year;
                clause_year_ = open.clause_year;
                // "因公出国（境）经费": a short aside inside a label stays in the label.
                if (i_ - open.at <= 7 && open.figures == scan_.figures.size() && open.boundaries == boundaries_) {
                    clause_begin_ = open.clause_begin;
                    push(TokenKind::ParenClose, i_);
                    ++i_;
                    return;
                }
            }
        }
        push(TokenKind::ParenClose, i_);
        cut(i_ + 1);
        ++i_;
    }

    // A closing parenthesis with none open, before any sentence end of a block that
    // does not continue the previous one: the parenthesis opened in an earlier
    // paragraph ("办结1191件（含" | "上年结转189件），…"), and what this block holds
    // before it is a remark inside it, never a count a list could take as its total
    // or part. Only when the break was not recognised as one sentence's.
    void enclose_block_start() {
        if (block_.continues_previous) return;
        const auto tokens = std::span(scan_.tokens).subspan(block_.first_token);
        if (std::any_of(tokens.begin(), tokens.end(), [](const Token& t) { return t.kind == TokenKind::SentenceEnd; }))
            return;
        for (Token& t : tokens) ++t.depth;
        for (std::size_t f = scan_.figures.size(); f-- > 0 && scan_.figures[f].block == block_index_;)
            ++scan_.figures[f].depth;
    }

    void skip_word() {
        while (i_ < n_ && (is_letter(s_[i_]) || is_digit(s_[i_]) || one_of(s_[i_], U"._:/@%?=&#~+-"))) ++i_;
    }

    std::size_t skip_spaces(std::size_t k) const {
        while (k < n_ && is_blank(s_[k])) ++k;
        return k;
    }
    char32_t char_before(std::size_t k) const {
        while (k > 0 && is_blank(s_[k - 1])) --k;
        return k > 0 ? s_[k - 1] : 0;
    }

    bool right_after_figure(std::size_t at) const {
        if (last_figure_end_ == npos) return false;
        for (std::size_t k = last_figure_end_; k < at; ++k)
            if (!is_blank(s_[k]) && s_[k] != U')') return false;
        return true;
    }

    // Where the approximate marker before a number starts ("近 20", "超过3000").
    std::size_t approx_prefix(std::size_t number_begin) const {
        std::size_t k = number_begin;
        while (k > clause_begin_ && is_blank(s_[k - 1])) --k;
        if (k == 0) return number_begin;
        const char32_t last = s_[k - 1];  // most numbers follow none of the words' last characters
        for (const std::u32string& w : scan_.words->approximate_before)
            if (w.back() == last && k >= clause_begin_ + w.size() && ends_with(s_, k, w)) return k - w.size();
        return number_begin;
    }

    void scan_arabic() {
        const std::size_t start = i_;
        const char32_t prev = start > 0 ? s_[start - 1] : 0;
        const char32_t prev2 = start > 1 ? s_[start - 2] : 0;
        bool excluded = marks_non_figure(prev) || (prev == U'-' && is_digit(prev2));

        std::size_t j = start;
        Digits digits;
        while (j < n_ && is_digit(s_[j])) digits.push_back(static_cast<char>(s_[j++]));
        // "10,037": an ASCII comma (as written, not a folded "，") before exactly three digits.
        if (digits.size() <= 3) {
            while (j + 3 < n_ && text_.original[j] == U',' && is_digit(s_[j + 1]) && is_digit(s_[j + 2]) &&
                   is_digit(s_[j + 3]) && !(j + 4 < n_ && is_digit(s_[j + 4])) && digits.size() < 16) {
                for (std::size_t d = 1; d <= 3; ++d) digits.push_back(static_cast<char>(s_[j + d]));
                j += 4;
            }
        }
        int decimals = 0;
        if (j + 1 < n_ && s_[j] == U'.' && is_digit(s_[j + 1])) {
            digits.push_back('.');
            ++j;
            while (j < n_ && is_digit(s_[j])) {
                digits.push_back(static_cast<char>(s_[j++]));
                ++decimals;
            }
        }
        const std::size_t number_end = j;
        i_ = j;
        if (j < n_) {
            char32_t next = s_[j];
            bool chained = j + 1 < n_ && is_digit(s_[j + 1]) && one_of(next, U".-~～/:—");
            if (chained) {  // dates 2019.12.31 / 2020-01-01, ranges 1-2, phones, times, fractions
                while (i_ < n_ && (is_digit(s_[i_]) || one_of(s_[i_], U".-~～/:—"))) ++i_;
                return;
            }
            if (is_letter(next)) return;   // 7.3TB, IPv6-like words
            if (next == U'.') {            // "1." numbering, "163.com"
                if (!(j + 1 < n_ && is_letter(s_[j + 1]))) ++i_;
                return;
            }
        }
        if (excluded || digits.size() > 16) return;

        std::size_t k = skip_spaces(j);
        bool percent = false, approximate = false, scaled = false;
        double scale = 1;
        int scale_digits = 0;
        u32string_view unit;
        std::size_t end = number_end;
        if (k < n_ && s_[k] == U'%') {
            percent = true;
            unit = U"%";
            end = k + 1;
        } else {
            std::size_t m = k;
            if (m < n_ && (s_[m] == U'多' || s_[m] == U'余')) {
                approximate = true;
                end = m + 1;
                m = skip_spaces(m + 1);
            }
            if (m < n_ && (s_[m] == U'万' || s_[m] == U'亿')) {
                char32_t multiplier = s_[m];
                std::size_t after = m + 1;
                if (after < n_ && (s_[after] == U'多' || s_[after] == U'余')) {
                    approximate = true;
                    ++after;
                }
                if (after < n_ && s_[after] == U'元') {  // money keeps its 万元/亿元 unit
                    unit = multiplier == U'万' ? U"万元" : U"亿元";
                    end = after + 1;
                } else {
                    scaled = true;
                    scale = multiplier == U'万' ? 1e4 : 1e8;
                    scale_digits = multiplier == U'万' ? 4 : 8;
                    end = after;
                    m = skip_spaces(after);
                }
            }
            if (unit.empty()) {
                u32string_view u = match_unit(scan_, s_, m);
                if (!u.empty()) {
                    unit = u;
                    end = m + u.size();
                }
            }
        }
        const bool signed_number = start > 0 && (prev == U'+' || prev == U'-') && !is_digit(prev2) && !is_letter(prev2);
        if (!percent && unit.empty() && !scaled) {
            if (approximate || !bare_number_can_count(signed_number ? start - 1 : start, k, digits.view())) return;
            end = number_end;
        }
        if (!percent) {
            std::size_t m = skip_spaces(end);
            for (u32string_view w : {u32string_view(U"以上"), u32string_view(U"左右"), u32string_view(U"余")})
                if (!unit.empty() && starts_with(s_, m, w)) {
                    approximate = true;
                    end = m + w.size();
                    break;
                }
        }

        double number = 0;
        const std::string_view written = digits.view();
        std::from_chars(written.data(), written.data() + written.size(), number);
        Value value = Value::of(number * scale, std::max(0, decimals - scale_digits));
        if (scaled && decimals < scale_digits) {
            value.approximate = true;
            value.number = std::round(value.number);
            if (!approximate) value.rounding = 0.5 * std::pow(10.0, scale_digits - decimals);
        }
        value.approximate = value.approximate || approximate;
        value.unit = utf8_of(unit);

        std::size_t text_begin = start;
        if (signed_number) {
            value.sign_written = true;
            if (prev == U'-') value.number = -value.number;
            text_begin = start - 1;
        } else {
            std::size_t marker = approx_prefix(start);
            if (marker != start) {
                value.approximate = true;
                value.rounding = 0;
                text_begin = marker;
            }
        }
        emit(std::move(value), text_begin, end, percent);
    }

    // "件数为8，": a number without a unit counts only after words and before a clause end.
    bool bare_number_can_count(std::size_t start, std::size_t after, std::string_view digits) const {
        char32_t next = after < n_ ? s_[after] : 0;
        if (!(next == U',' || next == U';' || next == U'。')) return false;
        char32_t before = char_before(start);
        if (!(is_ideograph(before) || before == U'”') || one_of(before, U"年月日号第至起止期届")) return false;
        if (digits.find('.') == std::string_view::npos && digits.size() > 9) return false;
        if (digits.size() == 4 && digits >= "1900" && digits <= "2100") return false;  // a year
        return true;
    }

    void scan_chinese() {
        const std::size_t start = i_;
        std::size_t j = start;
        while (j < n_ && j - start < 16 && is_cn_numeral(s_[j])) ++j;
        i_ = j;
        u32string_view run = s_.substr(start, j - start);
        if (run.find_first_not_of(U"百千万亿") == u32string_view::npos) return;
        char32_t prev = start > 0 ? s_[start - 1] : 0;
        // 第三, 每一, 之一, 统一, 唯一, 同一, 逐一… and numerals quoted as names ("“七人普”").
        if (kBeforeNonCount.has(prev) || one_of(prev, U"“‘「『《【(")) return;
        u32string_view unit = match_unit(scan_, s_, j);
        if (unit.empty()) return;
        std::size_t end = j + unit.size();
        char32_t next = end < n_ ? s_[end] : 0;
        // 一件事, 一次性, 一条龙, 一个个, 一人一档, 三位一体: words, not counts.
        if (one_of(next, U"事性龙") || is_cn_numeral(next) || (unit.size() == 1 && next == unit.front())) return;
        if (run == U"一" && one_makes_word(unit, start, end)) return;
        std::optional<long long> count = parse_chinese_count(run);
        if (!count) return;
        Value value = Value::of(static_cast<double>(*count));
        // "十万元", "一亿五千万元": the numeral holds the 万 that 10万元 writes in its unit.
        if (unit == U"元" && (run.back() == U'万' || run.back() == U'亿')) {
            const long long place = run.back() == U'万' ? 10000 : 100000000;
            if (*count % place == 0) {
                value = Value::of(static_cast<double>(*count / place));
                unit = run.back() == U'万' ? U"万元" : U"亿元";
            }
        }
        value.unit = utf8_of(unit);
        std::size_t text_begin = approx_prefix(start);
        value.approximate = text_begin != start;
        emit(std::move(value), text_begin, end, false);
    }

    // 一 and a unit that make a word: 一元化, 一本账, 一张网, 一张图, 一套表; slogans ("最后一公里",
    // "五个一批": 一 after 后, or after a numeral and its unit); and 一起, 一块, which
    // also mean "together" ("和有关部门一起研究", "整合在一起,"). 一起 counts cases after
    // 其中, 有 or 另 ("其中一起", "另有一起"), where its clause ends after it ("行政复议两起、
    // 行政诉讼一起。") and where the words after it name the case or its outcome ("一起行政
    // 诉讼案件", "一起因政府信息公开引起的行政复议", "一起尚未审结").
    bool one_makes_word(u32string_view unit, std::size_t start, std::size_t end) const {
        if (end < n_ && one_of(s_[end], U"化账网图表")) return true;
        const char32_t prev = start > 0 ? s_[start - 1] : 0;
        if (prev == U'后' || (start > 1 && is_cn_numeral(s_[start - 2]) && match_unit(scan_, s_, start - 1).size() == 1))
            return true;
        if (unit != U"起" && unit != U"块") return false;
        if (prev == U'在') return true;
        // "没有一起…被纠错", "无一起": not one, no count.
        if (ends_with(s_, start, U"没有") || prev == U'无') return true;
        if (prev == U'有' || prev == U'另' || ends_with(s_, start, U"其中")) return false;
        std::size_t k = skip_spaces(end);
        // At a clause's end, a count when the case or its outcome is named before it
        // ("行政诉讼一起。", "纠正一起、尚未审结一起"), not "together" ("会同法律顾问一起，…").
        if (k >= n_ || boundary_strength(s_[k]) || is_sentence_end(s_[k]) || is_closer(s_[k])) {
            if (ends_with(s_, start, U"审结") || ends_with(s_, start, U"案件")) return false;
            for (u32string_view w : kCaseWords)
                if (ends_with(s_, start, w)) return false;
            return true;
        }
        return match_at(s_, k, kCaseWords).empty();
    }

    void emit(Value value, std::size_t text_begin, std::size_t end, bool percent) {
        const std::size_t index = scan_.figures.size();
        ScannedFigure& f = scan_.figures.emplace_back();
        f.block = block_index_;
        f.begin = text_begin;
        f.end = end;
        f.label_block = block_index_;
        f.label_begin = std::min(clause_begin_, text_begin);
        if (!clause_started_in_block() && !carried_.empty()) {
            f.label_block = scan_.open_clause_block;
            f.label_begin = scan_.open_clause_begin;
        }
        f.depth = depth_;
        f.percent = percent;
        u32string_view clause = clause_text(text_begin);
        f.total_word = states_total(clause);
        f.before = space_skipped_before(text_begin);
        f.figure.value = std::move(value);
        f.figure.text = text_.original_text(text_begin, end);
        f.figure.pos = text_.position_of(text_begin);
        f.figure.sentence = scan_.sentence;
        f.figure.section = npos;
        f.figure.year = clause_year_ != 0 ? clause_year_ : topic_year_;
        if (!(percent && take_share_of_previous(index))) f.figure.context = normalize_context(clause);
        f.figure.after = normalize_context(words_after(end));
        push(TokenKind::Figure, text_begin).index = index;
        last_figure_end_ = end;
        cut(end);
        i_ = end;
        if (!percent) figure_zhong(index, end);
    }

    // The words after a figure's end to its clause's end ("20件政府信息公开申请。"): up to a
    // clause or sentence end, a bracket or the next number, at most kMaxClause characters.
    // Rules read them where the noun follows the count ("共受理20件政府信息公开申请").
    u32string_view words_after(std::size_t end) const {
        std::size_t k = end;
        const std::size_t limit = std::min(n_, end + kMaxClause);
        while (k < limit) {
            const char32_t c = s_[k];
            if (is_sentence_end(c) || boundary_strength(c) || is_digit(c) || one_of(c, U"()[]【】〔〕")) break;
            ++k;
        }
        return s_.substr(end, k - end);
    }

    // gouji::is_space (which is_blank answers) is what the list finder skips before a figure.
    char32_t space_skipped_before(std::size_t k) const {
        while (k > 0 && is_blank(s_[k - 1])) --k;
        return k > 0 ? s_[k - 1] : 0;
    }

    // The percentage just emitted states the share of the count before it ("8件，占88.9%",
    // "208 件（17.46%）"), in this block or at the end of the previous line of a broken
    // sentence: pairs them and gives the percentage the count's context.
    bool take_share_of_previous(std::size_t pct_index) {
        if (pct_index == 0) return false;
        ScannedFigure& pct = scan_.figures[pct_index];
        ScannedFigure& count = scan_.figures[pct_index - 1];
        if (count.percent || count.share != npos || count.figure.sentence != pct.figure.sentence) return false;
        between_.clear();
        if (count.block == pct.block) {
            append_visible(between_, s_.substr(count.end, pct.begin - count.end), Scan::kShareTail);
        } else if (pct.block == count.block + 1 && block_.continues_previous) {
            between_ = scan_.open_tail;
            append_visible(between_, s_.substr(0, pct.begin), Scan::kShareTail);
        } else {
            return false;
        }
        if (!states_share(between_)) return false;
        pct.share_of = pct_index - 1;
        count.share = pct_index;
        pct.figure.context = count.figure.context;
        return true;
    }

    // "收到申请8件中，" / "在1366件已答复件中，": the figure is the total of what follows.
    void figure_zhong(std::size_t figure, std::size_t end) {
        for (std::size_t m = end; m < n_ && m < end + 8; ++m) {
            char32_t c = s_[m];
            if (boundary_strength(c) || is_sentence_end(c) || is_digit(c) || c == U'(' || c == U')') return;
            if (c != U'中') continue;
            if (m > 0 && s_[m - 1] == U'其') return;
            char32_t after = m + 1 < n_ ? s_[m + 1] : 0;
            if (!(boundary_strength(after) || is_quote(after) || is_blank(after) || after == 0)) return;
            push(TokenKind::Zhong, m).index = figure;
            cut(m + 1);
            i_ = m + 1;
            return;
        }
    }

    // "已答复中“同意公开”…" / "答复情况中予以公开…": a named whole whose parts follow.
    bool label_zhong() {
        std::size_t at = i_;
        bool after_situation = ends_with(s_, at, U"情况");
        bool after_reply = ends_with(s_, at, U"答复") || ends_with(s_, at, U"申请") || ends_with(s_, at, U"件");
        char32_t after = at + 1 < n_ ? s_[at + 1] : 0;
        if (!(after_situation || (after_reply && (boundary_strength(after) || is_quote(after))))) return false;
        if (at <= clause_begin_) return false;
        std::string label = normalize_context(clause_text(at));
        push(TokenKind::Zhong, at).label = scan_.labels.size();
        scan_.labels.push_back(std::move(label));
        cut(at + 1);
        ++i_;
        return true;
    }

    // At a 年: the words ending there that name a year ("2022年", "二〇二二年度", "上一年度",
    // "去年", "本年度", "全年"…) set the year of the figures after them (Figure::year): to
    // the sentence's end (its topic), or, after a comparison (较, 比, 与…相比, 高于), to
    // the clause's. Not a date (2023年1月1日), a year something goes to or comes from
    // (结转至2024年, 截至2022年底, 结转自上年度), one's carried-in applications
    // (上年结转, 2022年遗留: this year's 二、上年结转, unlike 2022年结转下年度), nor
    // 全年 right after a year ("2022年全年": that year). 以上年…, 网上年报, 当前年度 are
    // no years either.
    void year_word() {
        const std::size_t at = i_;
        std::size_t end = at + 1;
        if (end < n_ && s_[end] == U'度') ++end;
        i_ = end;
        int year = 0;
        std::size_t begin = at;
        std::size_t k = at;
        while (k > 0 && is_blank(s_[k - 1])) --k;
        std::size_t d = k;
        while (d > 0 && is_digit(s_[d - 1]) && k - d <= 4) --d;
        if (k - d == 4 && !(d > 0 && s_[d - 1] == U'.')) {
            int written = 0;
            for (std::size_t m = d; m < k; ++m) written = written * 10 + static_cast<int>(s_[m] - U'0');
            if (written < 1900 || written > 2199) return;
            year = written;
            begin = d;
        } else if (k - d == 0) {
            d = k;
            while (d > 0 && (is_cn_numeral(s_[d - 1]) || s_[d - 1] == U'○') && k - d < 8) --d;
            if (auto written = d < k ? parse_chinese_year(s_.substr(d, k - d)) : std::nullopt) {
                year = *written;
                begin = d;
            }
        } else {
            return;  // "5年", "12022年": no year
        }
        if (year == 0) {
            struct YearWord {
                u32string_view word;
                int year;
            };
            static constexpr YearWord kYearWords[] = {{U"上一", kLastYear}, {U"前一", kLastYear}, {U"上", kLastYear},
                                                      {U"去", kLastYear},   {U"前", kYearBeforeLast}, {U"本", kThisYear},
                                                      {U"今", kThisYear},   {U"全", kThisYear},      {U"当", kThisYear}};
            for (const YearWord& w : kYearWords)
                if (ends_with(s_, at, w.word)) {
                    year = w.year;
                    begin = at - w.word.size();
                    break;
                }
            if (year == 0) return;
            const char32_t head = s_[begin];
            const char32_t prev = begin > 0 ? s_[begin - 1] : 0;
            if (head == U'上' && one_of(prev, U"以网线之向马")) return;
            if (head == U'前' && one_of(prev, U"当目此之提以年")) return;
            if ((head == U'全' || head == U'当') && (prev == U'年' || prev == U'度')) return;
        }
        const char32_t before = char_before(begin);
        if (one_of(before, U"至到止迄自")) return;
        // A month after it (2022年12月, 2022年1-11月, 二〇二二年十二月): a date. A count is not ("去年8件").
        std::size_t month = skip_spaces(end);
        while (month < n_ && month < end + 8 && (is_digit(s_[month]) || is_cn_numeral(s_[month]) || one_of(s_[month], U"-~～")))
            ++month;
        if (month > end && month < n_ && s_[month] == U'月') return;
        if ((starts_with(s_, end, U"结转") && !starts_with(s_, end + 2, U"下年") && !starts_with(s_, end + 2, U"下一年")) ||
            starts_with(s_, end, U"遗留") || starts_with(s_, end, U"转入"))
            return;
        const bool comparison = one_of(before, U"较比与同和跟") || ends_with(s_, begin, U"较之") ||
                                (before == U'于' && begin >= 2 && one_of(char_before(begin - 1), U"高低多少大小"));
        // A year that opens its sentence ("2022年共收到申请98件，予以公开40件") is its topic, to
        // the sentence's end; one inside it ("依据2019年修订的《条例》，…", "…，上年度为100件，…")
        // or a comparison's ("较上年增加20件，…") names its own clause only.
        if (!comparison && opens_sentence(begin)) {
            topic_year_ = year;
            clause_year_ = 0;
        } else {
            clause_year_ = year;
        }
    }

    // Whether only blanks and a numbering mark ("（二）", "2.") stand between the sentence's
    // start and `at`.
    bool opens_sentence(std::size_t at) const {
        if (sentence_begin_ == npos || sentence_begin_ > at) return false;
        std::size_t k = sentence_begin_;
        while (k < at && is_blank(s_[k])) ++k;
        k += numbering_length(s_.substr(k, at - k));
        while (k < at && is_blank(s_[k])) ++k;
        return k == at;
    }

    bool hedge() {
        for (const Hedge& h : kHedges) {
            if (!starts_with(s_, i_, h.word)) continue;
            Token& token = push(TokenKind::Hedge, i_);
            token.partial = h.partial;
            if (h.word.starts_with(U"分别")) {
                token.label = scan_.respective_names.size();
                scan_.respective_names.push_back(respective_names(clause_text(i_)));
            }
            cut(i_ + h.word.size());
            i_ += h.word.size();
            return true;
        }
        return false;
    }

    // "微博、微信、抖音" before 分别为: the names of the counts that follow, in order;
    // the last may be joined by 和, 及 or 与 ("自然人和法人", "自然人、商业企业和科研机构").
    // Names of a few characters each, or none: a longer piece is a phrase, not a name.
    static std::vector<std::string> respective_names(u32string_view clause) {
        const std::size_t last = clause.rfind(U'、');
        const std::size_t tail = last == u32string_view::npos ? 0 : last + 1;
        std::size_t joiner = u32string_view::npos;  // the one 和, 及 or 与 of the last name, if one
        for (std::size_t k = tail; k < clause.size(); ++k)
            if (one_of(clause[k], U"和及与")) joiner = joiner == u32string_view::npos ? k : clause.size();
        std::vector<std::string> names;
        std::size_t begin = 0;
        for (std::size_t k = 0; k <= clause.size(); ++k) {
            if (k < clause.size() && clause[k] != U'、' && k != joiner) continue;
            std::string name = normalize_context(clause.substr(begin, k - begin));
            if (name.empty() || char_count(name) > 12) return {};
            names.push_back(std::move(name));
            begin = k + 1;
        }
        return names.size() >= 2 ? names : std::vector<std::string>{};
    }

    struct OpenParen {
        std::size_t at, clause_begin, figures, boundaries;
        int topic_year, clause_year;  // outside the parenthesis
    };

    ScannedBlock& block_;
    Scan& scan_;
    const BlockText& text_;
    const u32string_view s_;
    const std::size_t n_;
    const std::size_t block_index_;
    const std::u32string& carried_;
    std::size_t i_ = 0;
    std::size_t clause_begin_ = 0;
    std::size_t last_figure_end_ = npos;
    std::size_t boundaries_ = 0;
    int depth_ = 0;
    int title_depth_ = 0;
    // The year the sentence so far names as its topic ("2022年共收到申请98件，予以公开40件")
    // and the one a comparison of the clause names ("较上年增加20件"), as Figure::year is
    // written by the scanner; 0 for none. A figure takes the clause's, else the topic's.
    int topic_year_ = 0;
    std::size_t sentence_begin_ = 0;  // in the block; npos when the sentence began in the block before
    int clause_year_ = 0;
    int previous_topic_year_ = 0;  // the topic of the paragraph's sentence before
    bool pending_sentence_ = false;
    std::vector<OpenParen> parens_;
    std::u32string& clause_;
    std::u32string& between_;
};

// A line that goes on with the previous line's sentence (which did not end): the
// next block of the source, not indented, neither of them a heading. A numbered
// item wraps too, and a sentence may be broken into paragraphs with blank lines
// between its pieces, as a PDF's lines often are; there the break must be evident:
//  - the previous line stops at ， or 、 or inside a parenthesis, or the next opens
//    with punctuation no line starts with — then nothing else is asked;
//  - otherwise neither is a numbered item, the previous line is long enough to have
//    been wrapped, and across blank lines it is prose (punctuated, or itself a
//    piece of a broken sentence): a title or a label line ends in no 。 either.
bool continues_line(const ScannedBlock& prev, const ScannedBlock& next, std::size_t index, int open_depth) {
    if (prev.document_block + 1 != index || !prev.paragraph || !next.paragraph) return false;
    if (next.starts_with_numbering) return false;
    bool across_blank_lines = false;
    if (next.pos.line != 0) {
        std::size_t prev_last = prev.pos.line + prev.newlines;
        if (next.pos.line <= prev_last || next.pos.column > 1) return false;
        across_blank_lines = next.pos.line != prev_last + 1;
    }
    if (prev.ends_mid_clause || next.opens_mid_clause || open_depth > 0) return true;
    if (prev.starts_with_numbering || prev.length < 15) return false;
    return !across_blank_lines || prev.prose || prev.continues_previous;
}

bool ends_sentence_or_clause(u32string_view s) {
    std::size_t e = s.size();
    while (e > 0 && (is_blank(s[e - 1]) || is_closer(s[e - 1]) || s[e - 1] == U'*')) --e;
    return e == 0 || is_sentence_end(s[e - 1]) || s[e - 1] == U':' || s[e - 1] == U';';
}

// Whether `s` (a block past its numbering mark) holds clause or sentence punctuation.
bool has_prose_punctuation(u32string_view s) {
    return std::any_of(s.begin(), s.end(), [](char32_t c) { return boundary_strength(c) != 0 || is_sentence_end(c); });
}

// The block's first and last visible characters, blanks and markup skipped.
char32_t first_visible(u32string_view s) {
    std::size_t b = 0;
    while (b < s.size() && (is_blank(s[b]) || s[b] == U'*')) ++b;
    return b < s.size() ? s[b] : 0;
}
char32_t last_visible(u32string_view s) {
    std::size_t e = s.size();
    while (e > 0 && (is_blank(s[e - 1]) || s[e - 1] == U'*')) --e;
    return e > 0 ? s[e - 1] : 0;
}

}  // namespace

FirstChars::FirstChars(const std::vector<std::u32string>& words) {
    for (const std::u32string& w : words) {
        if (w.empty()) continue;
        const char32_t c = w.front();
        if (c < kFirst || c > kLast) {
            if (others_.find(c) == std::u32string::npos) others_.push_back(c);
        } else {
            ideographs_[(c - kFirst) >> 6] |= std::uint64_t{1} << ((c - kFirst) & 63);
        }
    }
}

int heading_year(std::string_view title, const NumberWords& words) {
    if (title.find("年") == std::string_view::npos) return 0;
    Scan scan(words);
    Block block;
    block.text = std::string(title);
    scan_block(block, 0, scan);
    return scan.open_topic_year;
}

std::vector<RespectiveName> respective_contexts(const Scan& scan) {
    std::vector<RespectiveName> named;
    const std::vector<std::string>* names = nullptr;  // of the open 分别为, none when null
    const Token* hedge = nullptr;
    std::vector<std::size_t> counts;
    const auto finish = [&] {
        if (names && counts.size() == names->size()) {
            for (std::size_t k = 0; k < counts.size(); ++k) {
                named.push_back({counts[k], (*names)[k]});
                const std::size_t share = scan.figures[counts[k]].share;
                if (share != npos) named.push_back({share, (*names)[k]});
            }
        }
        names = nullptr;
        counts.clear();
    };
    for (const Token& t : scan.tokens) {
        if (names) {
            switch (t.kind) {
                case TokenKind::Figure: {
                    const ScannedFigure& f = scan.figures[t.index];
                    if (f.depth > hedge->depth || f.share_of != npos) break;  // "120件（52%）", "（含…5件）"
                    const std::string& words = f.figure.context;
                    if (f.depth == hedge->depth && !f.percent && f.figure.sentence == hedge->sentence &&
                        (words.empty() || words == "和" || words == "及" || words == "与"))
                        counts.push_back(t.index);
                    else
                        finish();
                    break;
                }
                case TokenKind::Boundary:
                    if (t.depth <= hedge->depth && t.strength >= 3) finish();
                    break;
                case TokenKind::ParenOpen:
                case TokenKind::ParenClose:
                case TokenKind::NotAll:
                    break;
                case TokenKind::Hedge:  // "…分别为100件、20件，网上申请、当面申请分别为80件、40件"
                case TokenKind::SentenceEnd:
                case TokenKind::Qizhong:
                case TokenKind::Zhong:
                    finish();
                    break;
            }
        }
        if (!names && t.kind == TokenKind::Hedge && t.label != npos && !scan.respective_names[t.label].empty()) {
            names = &scan.respective_names[t.label];
            hedge = &t;
        }
    }
    finish();
    return named;
}

bool scan_block(const Block& block, std::size_t index, Scan& scan) {
    BlockText& text = scan.text;
    text.decode(block);
    // Flattened table cells of plain-text scrapes are not prose.
    if (text.chars.size() <= 60 && is_table_cell_text(text.chars)) {
        scan.open_sentence = false;
        return false;
    }
    ScannedBlock out;
    out.document_block = index;
    out.length = text.chars.size();
    out.pos = block.pos;
    out.newlines = text.newlines.size();
    {
        u32string_view s(text.chars);
        std::size_t b = 0;
        while (b < s.size() && is_blank(s[b])) ++b;
        std::size_t mark = numbering_length(s.substr(b));
        out.starts_with_numbering = mark > 0;
        // The style of the mark: items of one enumeration share it ("1." vs "（二）").
        if (mark > 0) out.numbering_style = s[b] == U'(' ? (is_digit(s[b + 1]) ? 2 : 3) : is_digit(s[b]) ? 1 : 4;
        out.prose = has_prose_punctuation(s.substr(b + mark));
        const char32_t last = last_visible(s);
        out.ends_mid_clause = last == U',' || last == U'、';
        const char32_t first = first_visible(s);
        out.opens_mid_clause = boundary_strength(first) != 0 || is_sentence_end(first) || first == U')' ||
                               first == U'”' || first == U'’';
    }

    // A block goes on with the previous one's sentence when that one stopped mid-clause
    // and this one is not a new item or heading.
    out.paragraph = block.kind == BlockKind::Paragraph;
    const ScannedBlock* prev = scan.blocks.empty() ? nullptr : &scan.blocks.back();
    out.continues_previous = prev && scan.line_blocks && scan.open_sentence && continues_line(*prev, out, index, scan.open_depth);
    int depth = 0;
    if (out.continues_previous) {
        scan.carried.swap(scan.open_clause);  // open_clause is written again at the block's end
        depth = scan.open_depth;
    } else {
        scan.carried.clear();
        if (prev) ++scan.sentence;
    }
    out.first_token = scan.tokens.size();
    ScannedBlock& stored = scan.blocks.emplace_back(out);
    BlockScanner(stored, scan, scan.blocks.size() - 1).run(depth);
    stored.end_token = scan.tokens.size();
    scan.open_sentence = block.kind == BlockKind::Paragraph && !ends_sentence_or_clause(text.chars);

    return true;
}

}  // namespace gouji::narrative
