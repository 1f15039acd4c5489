#pragma once
/// T-cell receptors as tilmatch reads them from repertoires and reference databases.
/// CDR3s are junction amino-acid sequences (conserved C through F/W, as AIRR `junction_aa`,
/// 10x, MiXCR, Adaptive, tcrdist3 and VDJdb write them). V/J names are IMGT ("TRBV5-1*01").

#include <cstdint>
#include <string>
#include <string_view>

namespace tilmatch {

struct Tcr {
  std::string cdr3b, vb, jb;  ///< beta chain (required for a clonotype)
  std::string cdr3a, va, ja;  ///< alpha chain (empty when unpaired)
};

/// A TCR read in place, as a patient's clonotype table holds them (ClonotypeList): views of
/// storage that outlives it. A Tcr reads as one.
struct TcrView {
  std::string_view cdr3b, vb, jb;
  std::string_view cdr3a, va, ja;

  TcrView() = default;
  TcrView(std::string_view cdr3b_, std::string_view vb_, std::string_view jb_, std::string_view cdr3a_,
          std::string_view va_, std::string_view ja_)
      : cdr3b(cdr3b_), vb(vb_), jb(jb_), cdr3a(cdr3a_), va(va_), ja(ja_) {}
  TcrView(const Tcr& t)  // NOLINT(google-explicit-constructor): a Tcr is read through its view
      : cdr3b(t.cdr3b), vb(t.vb), jb(t.jb), cdr3a(t.cdr3a), va(t.va), ja(t.ja) {}
  TcrView(Tcr&&) = delete;  // a view of a temporary would dangle

  /// An owning copy.
  Tcr to_tcr() const {
    return Tcr{std::string(cdr3b), std::string(vb), std::string(jb),
               std::string(cdr3a), std::string(va), std::string(ja)};
  }
};

/// A TCR with a known specificity, from a reference database.
struct ReferenceTcr {
  std::string id;  ///< stable identifier: the database's own, or "<file stem>:<line>"
  Tcr tcr;
  std::string epitope;  ///< peptide, upper case (IEDB: the row's peptides, comma-separated; may be empty)
  /// IEDB only: the row's epitopes that are no plain peptide (MR1 ligands, modified peptides such as
  /// "ILDQVPFSV + NLeu(L2)"), as given, comma-separated. Shown, never matched.
  std::string other_epitopes;
  std::string mhc;      ///< e.g. "HLA-A*02:01" (resolution as given)
  std::string mhc_class;  ///< "MHCI", "MHCII" or ""
  std::string antigen_gene, antigen_species;
  std::string source;  ///< database or study the row came from
};

}  // namespace tilmatch
