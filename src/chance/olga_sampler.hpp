#pragma once
/// Draws productive CDR3s from a V(D)J recombination model (tilmatch/generation_model.hpp), as OLGA's
/// generator does (Sethna et al., Bioinformatics 2019), written from its conventions:
///   P = P(V) P(delV|V) P(J) P(D|J) P(delD5|D) P(delD3|D,delD5) P(delJ|J) P(insVD) P(insDJ) x
///       dinucleotide Markov insertions (first base from the chain's steady state; the DJ insertion
///       is generated from the J side and reversed);
/// negative deletions are palindromic (P) nucleotides, the reverse complement of the gene end; the
/// CDR3 runs from the V anchor (Cys codon) to the J anchor + 3 (Phe/Trp codon kept); a draw is kept
/// when it is in frame, has no stop codon, starts with C and ends with F or W, and its V and J are
/// functional ("F" once OLGA's parentheses are removed: "[F]" is not) with an anchor.
/// Checked against OLGA on its human TRB model (tests/tools/test_olga_sampler.cpp): 24.4% of raw
/// draws productive, mean CDR3 15.12 aa, mode 15.
///
/// Deterministic: std::mt19937_64 is specified bit for bit by the standard, and the uniform and
/// discrete draws are done here (the std:: distributions are implementation-defined), so a seed
/// gives the same sequences on every platform. The shipped background (data/background/) is
/// 10^6 draws of seed 20261201 on OLGA's human TRB model.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "tilmatch/background.hpp"
#include "tilmatch/generation_model.hpp"

namespace tilmatch::chance {

/// A discrete distribution as cumulative weights (summed left to right, so exact everywhere).
class Discrete {
 public:
  Discrete() = default;
  /// Throws std::invalid_argument when no weight is positive.
  Discrete(const double* w, std::size_t n);
  /// The first index whose cumulative weight exceeds u * total (never a zero-weight index).
  std::size_t operator()(std::mt19937_64& rng) const;

 private:
  std::vector<double> cum_;
  std::size_t last_positive_ = 0;
};

class OlgaSampler {
 public:
  /// Checks that the tables fit the events. Throws InputError naming the model's
  /// model_marginals.txt (or model_params.txt for a missing event) when they do not.
  explicit OlgaSampler(const GenerationModel& model);

  struct Draw {
    std::string nt, aa, v, j;
  };
  /// Why a raw draw was rejected (kNone: it is productive).
  enum Reject : int { kNone, kGene, kDeletion, kFrame, kStop, kAnchor, kReasons };

  /// One raw draw of the recombination model; kNone (and `out` filled) when it is productive.
  Reject draw(std::mt19937_64& rng, Draw& out) const;
  /// The model's folder, for errors.
  const std::string& folder() const noexcept { return folder_; }

  /// The largest insertion or deletion length (either sign) a model may give.
  static constexpr int kMaxEventValue = 1000;

 private:
  struct Segment {
    std::string name;
    std::string extended;  ///< CDR3 part with the maximum number of P nucleotides added
    bool usable = false;   ///< functional with an anchor
  };
  struct Markov {
    std::array<Discrete, 4> next;
    Discrete first;
  };
  static Markov make_markov(const std::vector<double>& dinucl);
  static std::string insertion(std::size_t length, const Markov& m, std::mt19937_64& rng);

  std::vector<Segment> v_, d_, j_;
  // Event values by IGoR index: deletions (negative = P nucleotides) and insertion lengths.
  std::vector<int> del_v_, del_d5_, del_d3_, del_j_, ins_vd_, ins_dj_;
  int pal_v_ = 0, pal_d5_ = 0, pal_d3_ = 0, pal_j_ = 0;
  Discrete choose_v_, choose_j_, choose_ins_vd_, choose_ins_dj_;
  std::vector<Discrete> choose_d_given_j_, choose_del_v_, choose_del_j_, choose_del_d_;
  std::size_t n_del_d3_ = 1;
  Markov markov_vd_, markov_dj_;
  std::string folder_;
};

/// Raw draws without a productive one after which sample_background gives up on a model.
inline constexpr std::uint64_t kBarrenDraws = 1000000;

/// `rows` productive draws of seed `seed`, in draw order, as background rows (CDR3 and the V
/// allele drawn). Throws InputError naming the model's folder when its first kBarrenDraws draws
/// hold no productive one. `progress`, when set, is called every 2^16 rows with the rows so far.
Background sample_background(const OlgaSampler& sampler, std::uint64_t rows, std::uint64_t seed,
                             const std::function<void(std::uint64_t)>& progress = {});

}  // namespace tilmatch::chance
