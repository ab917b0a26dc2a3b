// The rules' regular expressions: compiled once (ICU, Unicode-aware), and
// searched for without ICU where a pattern is of a plain form (words, words at
// an end, a word then another on the line) or the text lacks a word the pattern
// requires. matches() and the plans' figure conditions ask literal_match() first.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gouji::program {

// A regular expression compiled once (engine/eval/compiled_regex.hpp).
struct CompiledRegex;

// Whether `regex` finds a match in `text`, when it is of the plain forms searched
// for without ICU (alternatives of words, a word then another on the same line,
// plain characters and groups at the end of the text) or `text` lacks a word it
// requires; nullopt for any other.
std::optional<bool> literal_match(const CompiledRegex& regex, std::string_view text);
// Whether `text` lacks every word one of `regex`'s alternatives must contain: it
// cannot match (a pattern with such words is otherwise left to ICU).
bool lacks_required_words(const CompiledRegex& regex, std::string_view text);
// The byte ranges of `text` every match of `regex` lies in, when it has required
// words and a bounded length (CompiledRegex::longest_match): around each of the
// words' occurrences, merged, in order. nullopt when that does not apply or would
// cover the text several times over.
std::optional<std::vector<std::pair<std::size_t, std::size_t>>> search_windows(const CompiledRegex& regex,
                                                                               std::string_view text);
// Where in `text` the words `regex` requires are (byte ranges, in order), when
// its matches are of bounded length outside their lookarounds
// (CompiledRegex::longest_consumed): every match holds one of them and starts
// at most that many characters before it. nullopt when that does not apply or
// the places are so many that searching from each would cost more than
// searching the whole text.
std::optional<std::vector<std::pair<std::size_t, std::size_t>>> required_word_places(const CompiledRegex& regex,
                                                                                     std::string_view text);
// Whether literal_match() can decide for `regex` (for some texts at least).
bool has_literal_form(const CompiledRegex& regex);
// Whether ICU surely compiles `pattern` (written in a small part of its syntax
// that cannot fail): such a pattern is left to ICU until a text needs it. False
// does not mean invalid.
bool surely_valid_for_icu(const std::string& pattern);
// Compiles `pattern`; on error returns null and sets `error` and `error_offset`
// (byte offset into the pattern).
std::shared_ptr<const CompiledRegex> compile_regex(const std::string& pattern, std::string& error,
                                                   std::size_t& error_offset);

}  // namespace gouji::program
