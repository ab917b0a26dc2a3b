// What a rule's regular expression compiles to (compile_regex(), regex.hpp): the
// forms literal_match() searches for without ICU, and ICU's pattern. Only the
// code that matches needs it; the rest sees the declarations of regex.hpp.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <unicode/regex.h>

#include "engine/eval/regex.hpp"

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
        // in one pass; in a short text (a figure's words) by Wu and Manber's method
        // (a long one: `anchors`, below): how far the window may move when
        // its last two bytes are those (pair_index), over the `shortest` first
        // bytes of every word. Empty when the words are searched one by one.
        std::size_t shortest = 0;
        std::vector<std::uint8_t> shift;
        // With `shift`: the pair_index() of each word's first two bytes. A window the
        // shift cannot pass is compared only with the words that start as it does:
        // sixteen words sharing 未 would otherwise be sixteen comparisons at every 未.
        std::vector<std::uint16_t> first_pairs;
        // With `shift`: pairs of bytes, each at a known offset (>= 1) in some words
        // (mostly a Chinese character's last two bytes, which tell it from nearly
        // every other), as few as cover every word. A long text is searched for the
        // pairs sixteen places at a time, and only where one is found for the words
        // it is in (`anchored[a]`: each word's index, and where in it its pair is).
        // Empty when the words need more than `most_anchors` pairs (each costs
        // three vector operations per sixteen bytes: past eight, the shifts are as
        // quick).
        static constexpr std::size_t most_anchors = 8;
        std::vector<std::array<unsigned char, 2>> anchors;
        struct Anchored {
            std::size_t word, at;
        };
        std::vector<std::vector<Anchored>> anchored;
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
    // With `required`: the most characters a match (lookarounds included) spans,
    // when bounded and the pattern has no anchor. Every match then lies within
    // that many characters of a required word, and a long text is searched by ICU
    // only around those words (search_windows), not converted and scanned whole.
    std::optional<std::size_t> longest_match;
    // With `required`: the most characters a match itself spans, its lookarounds
    // not counted (they may read any text around it), when bounded and the pattern
    // has no anchor outside them. Every match then starts within that many
    // characters before a required word: a long text is searched by ICU for all
    // its matches (find_all) only from there (required_word_places), with the
    // whole text around for the lookarounds to read.
    std::optional<std::size_t> longest_consumed;
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

}  // namespace gouji::program
