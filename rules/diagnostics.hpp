// Collects compile errors of rule packs with their file positions, so that one
// run reports every problem of every pack.
#pragma once

#include <string>
#include <vector>

#include "gouji/rules.hpp"
#include "rules/yaml_text.hpp"

namespace gouji::rules {

class Diagnostics {
public:
    explicit Diagnostics(std::vector<RuleDiagnostic>& out) : out_(out), start_(out.size()) {}

    void error(const SourceText& source, SourcePos pos, std::string message);
    // At byte `offset` of a YAML scalar's value.
    void error(const YamlText& text, std::uint32_t offset, std::string message);
    // About a file as a whole (cannot be read…).
    void error(const std::string& file, std::string message);
    // Diagnostics found apart (a rule compiled on another thread), in their order;
    // one already reported on the same line, as error() would, is dropped.
    void add(std::vector<RuleDiagnostic> found);
    std::size_t count() const { return out_.size() - start_; }

private:
    bool reported(const std::string& file, std::uint32_t line, const std::string& message) const;

    std::vector<RuleDiagnostic>& out_;
    std::size_t start_;
};

}  // namespace gouji::rules
