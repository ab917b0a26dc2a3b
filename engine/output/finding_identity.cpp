// A finding's identity across runs: its binding without the place that tells
// alike findings apart (engine/eval/run.cpp, tell_apart, appends it).
#include "engine/output/finding_identity.hpp"

namespace gouji {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The length of `s` once a run of digits at its end is taken off; npos when
// it does not end in one.
std::size_t before_digits(std::string_view s) {
    std::size_t end = s.size();
    while (end > 0 && is_digit(s[end - 1])) --end;
    return end == s.size() ? std::string_view::npos : end;
}

}  // namespace

std::string_view binding_identity(std::string_view binding) {
    std::string_view rest = binding;
    // "#2": alike at one place too, numbered after the first.
    if (std::size_t n = before_digits(rest); n != std::string_view::npos && n > 0 && rest[n - 1] == '#')
        rest = rest.substr(0, n - 1);
    // "line:column", then "page P:" in a PDF, then the "@".
    std::size_t column = before_digits(rest);
    if (column == std::string_view::npos || column == 0 || rest[column - 1] != ':') return binding;
    rest = rest.substr(0, column - 1);
    std::size_t line = before_digits(rest);
    if (line == std::string_view::npos || line == 0) return binding;
    rest = rest.substr(0, line);
    if (rest.ends_with(':')) {
        std::string_view page = rest.substr(0, rest.size() - 1);
        if (std::size_t p = before_digits(page); p != std::string_view::npos && page.substr(0, p).ends_with("@page "))
            rest = page.substr(0, p - 5);
    }
    if (!rest.ends_with('@')) return binding;
    return rest.substr(0, rest.size() - 1);
}

}  // namespace gouji
