#include "engine/model/heading.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "gouji/text.hpp"

namespace gouji {

namespace {

constexpr std::size_t kHeadingMaxChars = 40;

bool is_cn_digit(char32_t c) {
    switch (c) {
        case U'一': case U'二': case U'三': case U'四': case U'五': case U'六': case U'七': case U'八':
        case U'九': case U'十': case U'〇': case U'零':
            return true;
        default:
            return false;
    }
}

// Lines hold few line breaks: hop between them instead of testing every byte.
std::uint32_t count_newlines(std::string_view text) {
    std::uint32_t n = 0;
    for (std::size_t at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', at + 1)) ++n;
    return n;
}
bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

std::u32string strip_decoration(std::u32string s) {
    std::u32string out;
    for (char32_t c : s)
        if (c != U'*' && c != U'#') out.push_back(c);
    std::size_t b = 0, e = out.size();
    while (b < e && is_space(out[b])) ++b;
    while (e > b && is_space(out[e - 1])) --e;
    return out.substr(b, e - b);
}

// Whether the line, after decoration and spaces (folded), can open with a
// numbering: "(", "①"…"⑳", or digits (Chinese or Arabic) followed by "、", "."
// or ",". A loose test that heading_shape() then makes exact; it spares that
// work for the many lines that are a number alone (flattened table cells) or prose.
bool may_be_numbered(std::string_view line) {
    std::size_t digits = 0;
    for (std::size_t i = 0; i < line.size();) {
        char32_t c = fold_char(next_char(line, i));
        if (digits == 0 && (c == U'*' || c == U'#' || is_space(c))) continue;
        if (is_cn_digit(c) || is_digit(c)) {
            if (++digits > 3) return false;
            continue;
        }
        if (digits > 0) return c == U'、' || c == U'.' || c == U',';
        return c == U'(' || (c >= U'①' && c <= U'⑳') || c == U'第';  // "第三部分"
    }
    return false;
}

// "第三部分…" / "第3部分…": the part's number and the length of "第三部分".
std::optional<std::pair<long long, std::size_t>> part_numbering(std::u32string_view s) {
    if (s.empty() || s[0] != U'第') return std::nullopt;
    std::size_t j = 1;
    const bool chinese = j < s.size() && is_cn_digit(s[j]);
    while (j < s.size() && j < 4 && (chinese ? is_cn_digit(s[j]) : is_digit(s[j]))) ++j;
    if (j == 1 || s.substr(j, 2) != U"部分") return std::nullopt;
    std::u32string digits(s.substr(1, j - 1));
    return std::pair{chinese ? chinese_numeral_value(digits) : std::stoll(to_utf8(digits)), j + 2};
}

}  // namespace

std::vector<HeadingShape> heading_shapes(const Document& doc) {
    std::vector<HeadingShape> shapes;
    shapes.reserve(doc.blocks.size());
    for (const Block& block : doc.blocks) {
        const std::string_view first_line = std::string_view(block.text).substr(0, block.text.find('\n'));
        const bool markup = block.kind == BlockKind::Heading || block.bold;
        // Most lines are neither marked up nor numbered: no need to read their shape.
        if (block.kind == BlockKind::Table || (!markup && !may_be_numbered(first_line))) shapes.emplace_back();
        else shapes.push_back(heading_shape(first_line));
        HeadingShape& shape = shapes.back();
        shape.newlines = count_newlines(block.text);
        // An unnumbered line of plain text is never a heading (sections.cpp): most lines.
        if (shape.level == 0 && !markup) continue;
        // Normalized once here for every template the sections are matched against.
        shape.sized = !shape.title.empty() && char_count(shape.title) <= kHeadingMaxChars;
        if (shape.sized) shape.norm_title = normalize_label(shape.title);
    }
    return shapes;
}

HeadingShape heading_shape(std::string_view line) {
    HeadingShape shape;
    // A heading's numbering and title sit in its first characters; folding the whole
    // of a long prose line would only cost time. Cut at a character boundary.
    constexpr std::size_t kPrefixBytes = 3 * (kHeadingMaxChars + 16);
    bool cut = line.size() > kPrefixBytes;
    if (cut) {
        std::size_t end = kPrefixBytes;
        while (end > 0 && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) --end;
        line = line.substr(0, end);
    }
    std::u32string s = strip_decoration(fold_chars(line));
    std::size_t k = 0;
    if (!s.empty() && s[0] == U'(') {
        std::size_t j = 1;
        while (j < s.size() && j < 5 && (is_cn_digit(s[j]) || is_digit(s[j]))) ++j;
        if (j > 1 && j < s.size() && s[j] == U')') {
            std::u32string inner = s.substr(1, j - 1);
            shape.level = is_digit(inner[0]) ? 4 : 2;
            shape.numbering = to_utf8(U"(" + inner + U")");
            shape.number = is_digit(inner[0]) ? std::stoll(to_utf8(inner)) : chinese_numeral_value(inner);
            k = j + 1;
            if (k < s.size() && (s[k] == U'、' || s[k] == U'.')) ++k;
        }
    } else if (auto part = part_numbering(s)) {
        // "第三部分 收到和处理政府信息公开申请情况": a top-level part, as "三、" is.
        shape.level = 1;
        shape.number = part->first;
        shape.numbering = to_utf8(s.substr(0, part->second));
        k = part->second;
        while (k < s.size() && (is_space(s[k]) || s[k] == U'、' || s[k] == U':' || s[k] == U'：' || s[k] == U',')) ++k;
    } else if (!s.empty() && s[0] >= U'①' && s[0] <= U'⑳') {
        shape.level = 4;
        shape.number = static_cast<long long>(s[0] - U'①') + 1;
        shape.numbering = to_utf8(s.substr(0, 1));
        k = 1;
    } else {
        std::size_t j = 0;
        while (j < s.size() && j < 3 && is_cn_digit(s[j])) ++j;
        if (j > 0 && j < s.size() && (s[j] == U'、' || s[j] == U'.' || s[j] == U',')) {
            shape.level = 1;
            shape.number = chinese_numeral_value(s.substr(0, j));
            shape.numbering = to_utf8(s.substr(0, j));
            k = j + 1;
        } else {
            j = 0;
            while (j < s.size() && j < 3 && is_digit(s[j])) ++j;
            if (j > 0 && j < s.size() && (s[j] == U'、' || (s[j] == U'.' && !(j + 1 < s.size() && is_digit(s[j + 1]))))) {
                shape.level = 3;
                shape.number = std::stoll(to_utf8(s.substr(0, j)));
                shape.numbering = to_utf8(s.substr(0, j));
                k = j + 1;
            }
        }
    }
    std::u32string rest = s.substr(k);
    while (!rest.empty() && is_space(rest.front())) rest.erase(0, 1);
    std::size_t stop = rest.find(U'。');
    if (stop != std::u32string::npos && stop <= kHeadingMaxChars) {
        shape.short_line = !cut && stop + 1 >= rest.size();
        rest = rest.substr(0, stop);
    } else {
        shape.short_line = !cut && rest.size() <= kHeadingMaxChars;
    }
    shape.title = to_utf8(rest);
    return shape;
}

}  // namespace gouji
