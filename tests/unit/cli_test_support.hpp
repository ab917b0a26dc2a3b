// Running the gouji binary from a test as a user would, in a shell: shared by the
// tests of the command line (test_cli.cpp, test_cli_hardening.cpp).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit/golden.hpp"

namespace gouji::test {

struct Run {
    int exit_code = -1;
    std::string out, err;
};

inline std::string shell_quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// A scratch directory of one test file's run (`tag` keeps those of the files of one
// test binary apart), removed at exit.
class Scratch {
public:
    explicit Scratch(const std::string& tag) {
        dir_ = std::filesystem::temp_directory_path() / ("gouji-" + tag + "-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    ~Scratch() {
        namespace fs = std::filesystem;
        std::error_code ec;
        // Folders a test locked must be opened again before they can be removed.
        for (fs::recursive_directory_iterator it(dir_, fs::directory_options::skip_permission_denied, ec), end;
             !ec && it != end; it.increment(ec))
            if (it->is_directory(ec)) fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(dir_, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::string write(const std::string& name, const std::string& content) const {
        std::filesystem::create_directories((dir_ / name).parent_path());
        std::ofstream(path(name), std::ios::binary) << content;
        return path(name);
    }

private:
    std::filesystem::path dir_;
};

// `prefix`: put before the binary ("NAME=value", "ulimit -v N;", "timeout 30", a
// user switch); stdout and stderr go through files in `scratch`.
inline Run run_gouji_in(const Scratch& scratch, const std::string& prefix, const std::string& args) {
    std::string out = scratch.path("stdout"), err = scratch.path("stderr");
    // NO_COLOR keeps escapes out even if the harness gives the test a terminal.
    std::string cmd = "export NO_COLOR=1; " + prefix + " " + shell_quoted(GOUJI_BINARY) + " " + args + " >" +
                      shell_quoted(out) + " 2>" + shell_quoted(err);
    int status = std::system(("/bin/sh -c " + shell_quoted(cmd)).c_str());
    Run r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text_file(out);
    r.err = read_text_file(err);
    return r;
}

}  // namespace gouji::test
