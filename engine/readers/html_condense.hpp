// Condensing a page before gumbo parses it. Published pages are mostly markup
// the reader never looks at: exported-from-Word tables carry a few hundred bytes
// of inline CSS per cell, and gumbo's tokenizer spends most of its time stepping
// through those attribute values one character at a time. Dropping the attributes
// the reader does not read (and style declarations it does not read) halves what
// gumbo parses; every kept byte keeps a way back to its place in the page.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gouji/source.hpp"

namespace gouji::html {

// What survives condensing: attributes named in `kept` (lower-case; the first
// of duplicate names, as the HTML tokenizer keeps it) and `style` attributes that
// declare one of `style_properties`. The text of scripts and style sheets goes
// too. Other text, comments, other raw-text elements (textarea, title...) and
// tag names are copied unchanged.
struct KeptMarkup {
    std::span<const std::string_view> attributes;
    std::span<const std::string_view> style_properties;
};

class CondensedPage {
public:
    CondensedPage(std::string_view page, const KeptMarkup& kept);

    // The text to parse.
    const std::string& html() const { return html_; }
    // Byte offset in the page of the byte at `offset` in html().
    std::size_t page_offset(std::size_t offset) const;

private:
    void drop(std::string_view page, std::size_t from, std::size_t to);
    void finish(std::string_view page);

    std::string html_;
    std::size_t copied_up_to_ = 0;  // page bytes before this are already in html_ or dropped
    // Runs of copied bytes: (offset in html_, offset in page) where each run starts.
    std::vector<std::pair<std::size_t, std::size_t>> runs_;
};

// Offset of the end tag that closes raw text (a script, a style sheet) starting at
// `from`: "</" and `lower_name` in any case, then white space, '/' or '>'. The
// page's end when there is none.
std::size_t raw_text_end(std::string_view page, std::size_t from, std::string_view lower_name);

// Line and character column of page offsets asked for mostly in increasing order
// (as a tree walk in document order asks): each forward step counts only the
// bytes it passes, so a page written as one 150 KB line stays linear. A step
// back (text a browser moves out in front of its table comes before the table in
// the tree but after it in the page) restarts from the last checkpoint at or
// before the offset, so it costs at most kCheckpointStride bytes, not the page.
class PageLocator {
public:
    explicit PageLocator(std::string_view page) : page_(page) { checkpoints_.push_back({0, pos_}); }
    SourcePos at(std::size_t offset);
    // Bytes stepped over so far: the work, which tests bound.
    std::size_t bytes_counted() const { return bytes_counted_; }

    static constexpr std::size_t kCheckpointStride = 4096;

private:
    struct Checkpoint {
        std::size_t offset;
        SourcePos pos;
    };
    void advance_to(std::size_t offset);

    std::string_view page_;
    std::size_t offset_ = 0;
    SourcePos pos_{1, 1, 0};
    // Positions at 0 and every multiple of kCheckpointStride passed so far, in order.
    std::vector<Checkpoint> checkpoints_;
    std::size_t bytes_counted_ = 0;
};

}  // namespace gouji::html
