// libFuzzer harness: V(D)J recombination models (io::read_generation_model, the files of
// `tilmatch background --model`) and the OLGA sampler drawn from them (chance::OlgaSampler). The
// input holds the four files, separated by lines "@@@@": model_params.txt, model_marginals.txt,
// V_gene_CDR3_anchors.csv, J_gene_CDR3_anchors.csv (a missing part is an empty file).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>

#include "chance/olga_sampler.hpp"
#include "fuzz_support.hpp"
#include "io/generation_model.hpp"
#include "names/gene_names.hpp"

namespace {

using tilmatch::fuzz::fail;

constexpr const char* kFiles[] = {"model_params.txt", "model_marginals.txt", "V_gene_CDR3_anchors.csv",
                                  "J_gene_CDR3_anchors.csv"};

/// What a productive draw is (chance/olga_sampler.hpp).
void check(const tilmatch::chance::OlgaSampler::Draw& d) {
  if (d.aa.empty() || d.aa.front() != 'C' || (d.aa.back() != 'F' && d.aa.back() != 'W'))
    fail("a productive draw that is not C...F/W");
  if (d.nt.size() != 3 * d.aa.size()) fail("a productive draw whose nucleotides are not three per residue");
  if (!tilmatch::names::is_amino_acid_sequence(d.aa)) fail("a productive draw with a stop or unknown residue");
  if (d.v.empty() || d.j.empty()) fail("a productive draw without its genes");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tilmatch::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::filesystem::path folder = tilmatch::fuzz::scratch_dir() / "model";
  std::filesystem::create_directories(folder);
  std::size_t at = 0;
  for (const char* name : kFiles) {
    const std::size_t end = at > bytes.size() ? std::string_view::npos : bytes.find("\n@@@@\n", at);
    const std::string_view part =
        at >= bytes.size() ? std::string_view() : bytes.substr(at, end == std::string_view::npos ? end : end - at);
    tilmatch::fuzz::write_input("model/" + std::string(name), part);
    at = end == std::string_view::npos ? bytes.size() + 1 : end + 6;
  }
  tilmatch::fuzz::expect_only_input_errors([&] {
    const tilmatch::chance::OlgaSampler sampler(tilmatch::io::read_generation_model(folder.string()));
    std::mt19937_64 rng(1);
    tilmatch::chance::OlgaSampler::Draw d;
    for (int i = 0; i < 64; ++i)
      if (sampler.draw(rng, d) == tilmatch::chance::OlgaSampler::kNone) check(d);
  });
  return 0;
}
