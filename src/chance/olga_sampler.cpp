#include "chance/olga_sampler.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "tilmatch/error.hpp"

namespace tilmatch::chance {

namespace {

// ---- sequences ---------------------------------------------------------------------------------

char complement(char c) {
  switch (c) {
    case 'A': return 'T';
    case 'C': return 'G';
    case 'G': return 'C';
    case 'T': return 'A';
    default: return 'N';
  }
}

std::string reverse_complement(const std::string& s) {
  std::string out(s.rbegin(), s.rend());
  for (char& c : out) c = complement(c);
  return out;
}

int base_index(char c) {
  switch (c) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    case 'T': return 3;
    default: return -1;
  }
}

char translate(const char* codon) {
  static constexpr char kTable[] = "KNKNTTTTRSRSIIMIQHQHPPPPRRRRLLLLEDEDAAAAGGGGVVVV*Y*YSSSS*CWCLFLF";
  int code = 0;
  for (int i = 0; i < 3; ++i) {
    const int b = base_index(codon[i]);
    if (b < 0) return 'X';
    code = code * 4 + b;
  }
  return kTable[code];
}

std::string translate(const std::string& nt) {
  std::string aa;
  aa.reserve(nt.size() / 3);
  for (std::size_t i = 0; i + 3 <= nt.size(); i += 3) aa += translate(nt.data() + i);
  return aa;
}

/// Uniform double in [0, 1) from the top 53 bits of one mt19937_64 output.
double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// Maximum palindrome length of a deletion event: minus its most negative value.
int max_palindrome(const std::vector<int>& values) {
  int m = 0;
  for (int v : values) m = v < m ? v : m;
  return -m;
}

/// A distribution over a row of weights; a gene the model never uses has an all-zero row (any
/// deletion will do, it is never drawn).
Discrete positive(const double* w, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += w[i];
  if (s > 0) return Discrete(w, n);
  std::vector<double> one(n, 0.0);
  one[0] = 1;
  return Discrete(one.data(), n);
}

}  // namespace

Discrete::Discrete(const double* w, std::size_t n) : cum_(n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    s += w[i] > 0 ? w[i] : 0.0;
    cum_[i] = s;
    if (w[i] > 0) last_positive_ = i;
  }
  if (!(s > 0)) throw std::invalid_argument("a marginal has no positive probability");
}

std::size_t Discrete::operator()(std::mt19937_64& rng) const {
  const double x = uniform(rng) * cum_.back();
  std::size_t lo = 0, hi = cum_.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (cum_[mid] > x) hi = mid; else lo = mid + 1;
  }
  return lo > last_positive_ ? last_positive_ : lo;
}

OlgaSampler::Markov OlgaSampler::make_markov(const std::vector<double>& dinucl) {
  if (dinucl.size() != 16) throw std::invalid_argument("a dinucleotide table of " + std::to_string(dinucl.size()) + " entries, not 16");
  // Row `prev` of the 4x4 table (index prev*4 + next), normalised, is P(next | prev).
  Markov m;
  std::array<std::array<double, 4>, 4> p{};
  for (int prev = 0; prev < 4; ++prev) {
    double s = 0;
    for (int nx = 0; nx < 4; ++nx) s += dinucl[static_cast<std::size_t>(prev * 4 + nx)];
    if (!(s > 0)) throw std::invalid_argument("a dinucleotide row with no positive probability");
    for (int nx = 0; nx < 4; ++nx) p[prev][nx] = dinucl[static_cast<std::size_t>(prev * 4 + nx)] / s;
    m.next[static_cast<std::size_t>(prev)] = Discrete(p[prev].data(), 4);
  }
  std::array<double, 4> pi{0.25, 0.25, 0.25, 0.25};
  for (int it = 0; it < 10000; ++it) {
    std::array<double, 4> nx{};
    for (int a = 0; a < 4; ++a)
      for (int b = 0; b < 4; ++b) nx[a] += p[b][a] * pi[b];
    pi = nx;
  }
  m.first = Discrete(pi.data(), 4);
  return m;
}

std::string OlgaSampler::insertion(std::size_t length, const Markov& m, std::mt19937_64& rng) {
  static constexpr char kBases[] = "ACGT";
  std::string s;
  if (length == 0) return s;
  std::size_t b = m.first(rng);
  s += kBases[b];
  while (s.size() < length) {
    b = m.next[b](rng);
    s += kBases[b];
  }
  return s;
}

OlgaSampler::OlgaSampler(const GenerationModel& model) {
  const std::string params_file = model.folder + "/model_params.txt";
  const std::string marginals_file = model.folder + "/model_marginals.txt";
  auto event = [&](const char* name) -> const GenerationModel::Event& {
    const auto it = model.events.find(name);
    if (it == model.events.end()) throw InputError(params_file, "events", std::string("no event ") + name);
    return it->second;
  };
  auto marginal = [&](const char* name) -> const GenerationModel::Marginal& {
    const auto it = model.marginals.find(name);
    if (it == model.marginals.end()) throw InputError(marginals_file, "tables", std::string("no table @") + name);
    return it->second;
  };
  const auto& ev_v = event("v_choice");
  const auto& ev_d = event("d_gene");
  const auto& ev_j = event("j_choice");
  del_v_ = event("v_3_del").values;
  del_d5_ = event("d_5_del").values;
  del_d3_ = event("d_3_del").values;
  del_j_ = event("j_5_del").values;
  ins_vd_ = event("vd_ins").values;
  ins_dj_ = event("dj_ins").values;
  for (const auto* values : {&del_v_, &del_d5_, &del_d3_, &del_j_, &ins_vd_, &ins_dj_})
    if (values->empty()) throw InputError(params_file, "events", "a deletion or insertion event without values");
  // IGoR's models insert at most a few dozen nucleotides and delete at most ~20 (P nucleotides a
  // few); a value far outside would make a draw allocate gigabytes or overflow.
  for (const auto* values : {&ins_vd_, &ins_dj_})
    for (int v : *values)
      if (v < 0 || v > kMaxEventValue)
        throw InputError(params_file, "insertions", "insertion length " + std::to_string(v) + " outside 0.." +
                                                        std::to_string(kMaxEventValue));
  for (const auto* values : {&del_v_, &del_d5_, &del_d3_, &del_j_})
    for (int v : *values)
      if (v < -kMaxEventValue || v > kMaxEventValue)
        throw InputError(params_file, "deletions", "deletion length " + std::to_string(v) + " outside -" +
                                                       std::to_string(kMaxEventValue) + ".." +
                                                       std::to_string(kMaxEventValue));
  folder_ = model.folder;
  pal_v_ = max_palindrome(del_v_);
  pal_d5_ = max_palindrome(del_d5_);
  pal_d3_ = max_palindrome(del_d3_);
  pal_j_ = max_palindrome(del_j_);

  for (const auto& g : ev_v.genes) {
    Segment s{g.name, "", false};
    const auto a = model.v_anchors.find(g.name);
    if (a != model.v_anchors.end() && a->second.position > 0 && a->second.function == "F" &&
        static_cast<std::size_t>(a->second.position) < g.sequence.size()) {
      const std::string cdr3 = g.sequence.substr(static_cast<std::size_t>(a->second.position));
      const int p = std::min<int>(pal_v_, static_cast<int>(cdr3.size()));
      s.extended = cdr3 + reverse_complement(cdr3.substr(cdr3.size() - static_cast<std::size_t>(p)));
      s.usable = true;
    }
    v_.push_back(s);
  }
  for (const auto& g : ev_j.genes) {
    Segment s{g.name, "", false};
    const auto a = model.j_anchors.find(g.name);
    if (a != model.j_anchors.end() && a->second.position > 0 && a->second.function == "F" &&
        static_cast<std::size_t>(a->second.position) + 3 <= g.sequence.size()) {
      const std::string cdr3 = g.sequence.substr(0, static_cast<std::size_t>(a->second.position) + 3);
      const int p = std::min<int>(pal_j_, static_cast<int>(cdr3.size()));
      s.extended = reverse_complement(cdr3.substr(0, static_cast<std::size_t>(p))) + cdr3;
      s.usable = true;
    }
    j_.push_back(s);
  }
  for (const auto& g : ev_d.genes) {
    const std::string& d = g.sequence;
    const std::string left =
        reverse_complement(d.substr(0, std::min<std::size_t>(static_cast<std::size_t>(pal_d5_), d.size()))) + d;
    const std::size_t pr = std::min<std::size_t>(static_cast<std::size_t>(pal_d3_), left.size());
    d_.push_back(Segment{g.name, left + reverse_complement(left.substr(left.size() - pr)), true});
  }

  const auto& pv = marginal("v_choice");
  const auto& pj = marginal("j_choice");
  const auto& pdj = marginal("d_gene");     // [J][D]
  const auto& pdv = marginal("v_3_del");    // [V][delV]
  const auto& pd5 = marginal("d_5_del");    // [D][delD5]
  const auto& pd3 = marginal("d_3_del");    // [D][delD5][delD3]
  const auto& pdelj = marginal("j_5_del");  // [J][delJ]
  const std::size_t nv = v_.size(), nj = j_.size(), nd = d_.size();
  const std::size_t ndv = del_v_.size(), nd5 = del_d5_.size(), nd3 = del_d3_.size(), ndj = del_j_.size();
  if (nv == 0 || nj == 0 || nd == 0 || pv.p.size() != nv || pj.p.size() != nj || pdj.p.size() != nj * nd ||
      pdv.p.size() != nv * ndv || pd5.p.size() != nd * nd5 || pd3.p.size() != nd * nd5 * nd3 ||
      pdelj.p.size() != nj * ndj || marginal("vd_ins").p.size() != ins_vd_.size() ||
      marginal("dj_ins").p.size() != ins_dj_.size())
    throw InputError(marginals_file, "tables", "the tables do not fit the events of model_params.txt");
  try {
    choose_v_ = Discrete(pv.p.data(), nv);
    choose_j_ = Discrete(pj.p.data(), nj);
    for (std::size_t j = 0; j < nj; ++j) {
      choose_d_given_j_.push_back(positive(pdj.p.data() + j * nd, nd));
      choose_del_j_.push_back(positive(pdelj.p.data() + j * ndj, ndj));
    }
    for (std::size_t v = 0; v < nv; ++v) choose_del_v_.push_back(positive(pdv.p.data() + v * ndv, ndv));
    // P(delD5, delD3 | D) = P(delD5 | D) P(delD3 | D, delD5), flattened as delD5 * nd3 + delD3.
    for (std::size_t d = 0; d < nd; ++d) {
      std::vector<double> joint(nd5 * nd3);
      for (std::size_t a = 0; a < nd5; ++a)
        for (std::size_t b = 0; b < nd3; ++b) joint[a * nd3 + b] = pd5.p[d * nd5 + a] * pd3.p[(d * nd5 + a) * nd3 + b];
      choose_del_d_.push_back(positive(joint.data(), joint.size()));
    }
    n_del_d3_ = nd3;
    choose_ins_vd_ = Discrete(marginal("vd_ins").p.data(), ins_vd_.size());
    choose_ins_dj_ = Discrete(marginal("dj_ins").p.data(), ins_dj_.size());
    markov_vd_ = make_markov(marginal("vd_dinucl").p);
    markov_dj_ = make_markov(marginal("dj_dinucl").p);
  } catch (const std::invalid_argument& e) {
    throw InputError(marginals_file, "tables", e.what());
  }
}

OlgaSampler::Reject OlgaSampler::draw(std::mt19937_64& rng, Draw& out) const {
  const std::size_t v = choose_v_(rng);
  const std::size_t j = choose_j_(rng);
  const std::size_t d = choose_d_given_j_[j](rng);
  const std::size_t dv = choose_del_v_[v](rng);
  const std::size_t dj = choose_del_j_[j](rng);
  const std::size_t dd = choose_del_d_[d](rng);
  const std::size_t dd5 = dd / n_del_d3_, dd3 = dd % n_del_d3_;
  const auto ivd = static_cast<std::size_t>(ins_vd_[choose_ins_vd_(rng)]);
  const auto idj = static_cast<std::size_t>(ins_dj_[choose_ins_dj_(rng)]);
  // Deletion values are the index minus the maximum palindrome (value -P sits at index 0), so an
  // index cuts straight into the P-extended segment.
  const auto del_v = static_cast<std::size_t>(del_v_[dv] + pal_v_);
  const auto del_j = static_cast<std::size_t>(del_j_[dj] + pal_j_);
  const auto del_d5 = static_cast<std::size_t>(del_d5_[dd5] + pal_d5_);
  const auto del_d3 = static_cast<std::size_t>(del_d3_[dd3] + pal_d3_);
  const Segment& sv = v_[v];
  const Segment& sj = j_[j];
  const Segment& sd = d_[d];
  if (!sv.usable || !sj.usable) return kGene;
  if (sv.extended.size() <= del_v) return kDeletion;
  if (sd.extended.size() < del_d5 + del_d3 || sj.extended.size() < del_j) return kDeletion;
  const std::size_t len_v = sv.extended.size() - del_v;
  const std::size_t len_d = sd.extended.size() - del_d5 - del_d3;
  const std::size_t len_j = sj.extended.size() - del_j;
  if ((len_v + len_d + len_j + ivd + idj) % 3 != 0) return kFrame;
  std::string dj_ins = insertion(idj, markov_dj_, rng);
  std::string nt = sv.extended.substr(0, len_v);
  nt += insertion(ivd, markov_vd_, rng);
  nt.append(sd.extended, del_d5, len_d);
  nt.append(dj_ins.rbegin(), dj_ins.rend());  // built from the J side
  nt.append(sj.extended, del_j, len_j);
  std::string aa = translate(nt);
  if (aa.find_first_of("*X") != std::string::npos) return kStop;
  if (aa.empty() || aa.front() != 'C' || (aa.back() != 'F' && aa.back() != 'W')) return kAnchor;
  out.nt = std::move(nt);
  out.aa = std::move(aa);
  out.v = sv.name;
  out.j = sj.name;
  return kNone;
}

Background sample_background(const OlgaSampler& sampler, std::uint64_t rows, std::uint64_t seed,
                             const std::function<void(std::uint64_t)>& progress) {
  Background bg;
  bg.gene_of.reserve(rows);
  bg.cdr3_end.reserve(rows);
  bg.cdr3.reserve(rows * 16);
  std::mt19937_64 rng(seed);
  OlgaSampler::Draw d;
  std::uint64_t draws = 0;
  for (std::uint64_t k = 0; k < rows;) {
    ++draws;
    if (sampler.draw(rng, d) != OlgaSampler::kNone) {
      // OLGA's human TRB model keeps 24% of its draws; none in 10^6 is a model that keeps none.
      if (k == 0 && draws >= kBarrenDraws)
        throw InputError(sampler.folder(), "",
                         "the model gave no productive rearrangement (in frame, no stop, C...F/W, functional "
                         "V and J with anchors) in " + std::to_string(kBarrenDraws) + " draws");
      continue;
    }
    bg.add(d.aa, d.v);
    ++k;
    if (progress && (k & 0xffffu) == 0) progress(k);
  }
  return bg;
}

}  // namespace tilmatch::chance
