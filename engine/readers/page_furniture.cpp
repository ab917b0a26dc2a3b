#include "engine/readers/page_furniture.hpp"

#include <cstddef>
#include <string>

#include "gouji/text.hpp"

namespace gouji {

namespace {

bool is_dash_like(char32_t c) {
    switch (c) {
    case U'-': case U'~': case U'\u00B7': case U'\u2010': case U'\u2011': case U'\u2012': case U'\u2013':
    case U'\u2014': case U'\u2015': case U'\u2022': case U'\u2212': case U'\u2500': case U'\u2501':
    case U'\u30FC': case U'\uFE58': case U'\uFE63': case U'\uFF5E':
        return true;
    default:
        return false;
    }
}

// Folded, white space dropped, every dash look-alike as '-': "— 5 —" and "－5－" meet.
// Stops after `limit` characters: longer lines are text, whatever they start with.
std::u32string furniture_form(std::string_view line, std::size_t limit = std::string_view::npos) {
    std::u32string out;
    for (std::size_t i = 0; i < line.size() && out.size() < limit;) {
        char32_t c = next_char(line, i);
        if (is_space(c)) continue;
        c = fold_char(c);
        out.push_back(is_dash_like(c) ? U'-' : c);
    }
    return out;
}

bool is_chinese_digit(char32_t c) {
    return std::u32string_view(U"〇零一二三四五六七八九十百").find(c) != std::u32string_view::npos;
}

// A cursor over the canonical form; each accept_* consumes only on success.
class Cursor {
public:
    explicit Cursor(std::u32string_view s) : s_(s) {}
    bool done() const { return i_ == s_.size(); }

    bool accept(char32_t c) {
        if (i_ < s_.size() && s_[i_] == c) { ++i_; return true; }
        return false;
    }
    bool accept_ascii_word(std::string_view word) {  // case-insensitive
        if (s_.size() - i_ < word.size()) return false;
        for (std::size_t k = 0; k < word.size(); ++k) {
            char32_t c = s_[i_ + k];
            if (c >= U'A' && c <= U'Z') c += U'a' - U'A';
            if (c != static_cast<char32_t>(word[k])) return false;
        }
        i_ += word.size();
        return true;
    }
    // 1 to 4 ASCII digits (page numbers never need more); -1 when there are none.
    long number() {
        std::size_t start = i_;
        long value = 0;
        while (i_ < s_.size() && s_[i_] >= U'0' && s_[i_] <= U'9' && i_ - start < 5) value = value * 10 + (s_[i_++] - U'0');
        if (i_ == start || i_ - start > 4) { i_ = start; return -1; }
        return value;
    }
    // Arabic or Chinese numerals, as in "第5页" and "第五页".
    long page_number() {
        long value = number();
        if (value >= 0) return value;
        std::size_t start = i_;
        while (i_ < s_.size() && is_chinese_digit(s_[i_])) ++i_;
        if (i_ == start) return -1;
        value = chinese_numeral_value(s_.substr(start, i_ - start));
        if (value < 0) i_ = start;
        return value;
    }
    int dashes() {
        int n = 0;
        while (accept(U'-')) ++n;
        return n;
    }

private:
    std::u32string_view s_;
    std::size_t i_ = 0;
};

// "— 5 —", "- 5 -", "－5－", "·5·"
bool is_dashed_number(std::u32string_view s) {
    Cursor c(s);
    int before = c.dashes();
    if (before < 1 || before > 3 || c.number() < 0) return false;
    int after = c.dashes();
    return after >= 1 && after <= 3 && c.done();
}

bool accept_separator(Cursor& c) {
    return c.accept(U',') || c.accept(U'/') || c.accept(U';') || c.accept(U'、') || c.accept(U'|') || c.accept(U'-');
}

// "第5页", "第 5 页 共 9 页", "第5页/共9页", "共9页 第5页", with optional dashes around.
bool is_chinese_page_marker(std::u32string_view s) {
    Cursor c(s);
    c.dashes();
    auto of_total = [&c] { return c.accept(U'共') && c.page_number() >= 0 && c.accept(U'页'); };
    auto this_page = [&c] { return c.accept(U'第') && c.page_number() >= 0 && c.accept(U'页'); };
    if (c.accept(U'共')) {
        if (c.page_number() < 0 || !c.accept(U'页')) return false;
        accept_separator(c);
        if (!this_page()) return false;
    } else {
        if (!this_page()) return false;
        accept_separator(c);
        of_total();  // optional: "第5页" alone is a marker too
    }
    c.dashes();
    return c.done();
}

// "5/9" (a page of at most as many), "Page 5", "Page 5 of 9".
bool is_page_of_pages(std::u32string_view s) {
    {
        Cursor c(s);
        long page = c.number();
        if (page >= 1 && c.accept(U'/')) {
            long total = c.number();
            if (total >= page && c.done()) return true;
        }
    }
    Cursor c(s);
    if (!c.accept_ascii_word("page") || c.number() < 0) return false;
    if (c.done()) return true;
    return c.accept_ascii_word("of") && c.number() >= 0 && c.done();
}

// Whether the first visible character can open a marker: a dash, a digit, 第, 共
// or the P of "Page". Most lines are text and fail here, before furniture_form.
bool may_open_marker(std::string_view line) {
    for (std::size_t i = 0; i < line.size();) {
        char32_t c = next_char(line, i);
        if (is_space(c)) continue;
        c = fold_char(c);
        return is_dash_like(c) || (c >= U'0' && c <= U'9') || c == U'第' || c == U'共' || c == U'P' || c == U'p';
    }
    return false;
}

}  // namespace

bool is_page_furniture_line(std::string_view line) {
    constexpr std::size_t kMaxChars = 24;
    if (!may_open_marker(line)) return false;
    std::u32string s = furniture_form(line, kMaxChars + 1);
    if (s.empty() || s.size() > kMaxChars) return false;
    return is_dashed_number(s) || is_chinese_page_marker(s) || is_page_of_pages(s);
}

bool is_bare_page_number(std::string_view line) {
    std::u32string s = furniture_form(line);
    Cursor c(s);
    return c.number() >= 0 && c.done();
}

}  // namespace gouji
