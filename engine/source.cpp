#include "gouji/source.hpp"

#include <algorithm>
#include <cstring>

#include "gouji/text.hpp"

namespace gouji {

std::string printable(std::string_view text, bool keep_layout) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        bool c0 = (c < 0x20 && !(keep_layout && (c == '\t' || c == '\n'))) || c == 0x7f;
        bool c1 = c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                  static_cast<unsigned char>(text[i + 1]) <= 0x9f;
        if (c0 || c1) {
            out += "\uFFFD";
            i += c1 ? 1 : 0;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string InputError::describe() const {
    // Goes to a terminal: a file name may hold any byte but '/' and NUL, and an
    // escape sequence in one must not recolour or clear the user's screen.
    std::string out = printable(file_, false);
    if (pos_.known()) {
        if (pos_.page != 0) out += ":page " + std::to_string(pos_.page);
        out += ":" + std::to_string(pos_.line) + ":" + std::to_string(pos_.column == 0 ? 1 : pos_.column);
    }
    std::string message = what();
    if (!hint_.empty()) message += " (" + hint_ + ")";
    // One line, whatever the message carried (it may quote the report or name a file).
    message = printable(message);
    std::replace(message.begin(), message.end(), '\n', ' ');
    return out + ": error: " + message;
}

SourceText::SourceText(std::string name, std::string utf8_text)
    : name_(std::move(name)), text_(std::move(utf8_text)) {
    line_starts_.push_back(0);
    // memchr, not a loop by byte: every rule pack and report is indexed so.
    const char* const begin = text_.data();
    const char* const end = begin + text_.size();
    for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));)
        line_starts_.push_back(static_cast<std::size_t>(++p - begin));
    bool long_line = false;
    for (std::size_t i = 0; i < line_starts_.size() && !long_line; ++i)
        long_line = (i + 1 < line_starts_.size() ? line_starts_[i + 1] : text_.size()) - line_starts_[i] > kStretch;
    if (!long_line) return;
    const std::string_view text(text_);
    chars_before_stretch_.assign(text_.size() / kStretch + 1, 0);
    std::size_t line = 0;
    for (std::size_t k = 1; k < chars_before_stretch_.size(); ++k) {
        const std::size_t at = k * kStretch;
        while (line + 1 < line_starts_.size() && line_starts_[line + 1] <= at) ++line;
        const std::size_t from = std::max(line_starts_[line], at - kStretch);
        chars_before_stretch_[k] = (from == at - kStretch && line_starts_[line] < from ? chars_before_stretch_[k - 1] : 0) +
                                   char_count(text.substr(from, at - from));
    }
}

SourcePos SourceText::position_of(std::size_t byte_offset) const {
    byte_offset = std::min(byte_offset, text_.size());
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte_offset);
    std::size_t line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
    std::size_t start = line_starts_[line_index];
    SourcePos pos;
    pos.line = static_cast<std::uint32_t>(line_index + 1);
    std::size_t chars = 0;
    const std::size_t stretch = byte_offset / kStretch;
    if (stretch < chars_before_stretch_.size() && stretch * kStretch > start) {
        chars = chars_before_stretch_[stretch];
        start = stretch * kStretch;
    }
    chars += char_count(std::string_view(text_).substr(start, byte_offset - start));
    pos.column = static_cast<std::uint32_t>(chars + 1);
    return pos;
}

std::string_view SourceText::line(std::uint32_t line_number) const {
    if (line_number == 0 || line_number > line_starts_.size()) return {};
    std::size_t start = line_starts_[line_number - 1];
    std::size_t end = line_number < line_starts_.size() ? line_starts_[line_number] - 1 : text_.size();
    std::string_view v(text_.data() + start, end - start);
    if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
    return v;
}

}  // namespace gouji
