#pragma once
/// HLA allele names as written by typing tools, predictors and TCR databases, reduced to one
/// canonical form (`HLA-A*02:01`), and the allele-matching rule used to compare a reference
/// pMHC's restriction or a prediction's allele with a patient's HLA type.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch::names {

/// One HLA allele at the resolution it was given (1 to 4 fields).
struct HlaAllele {
  /// Upper-case locus name without "HLA-": "A", "B", "C", "DRB1", "DQA1", "DQB1", "DPA1", "DPB1",
  /// or any other locus (letters then optional digits: "E", "G", "DRA", "DRB3", "MICA").
  std::string gene;
  /// Numeric fields, each at least two digits ("02", "01", "101"); never empty.
  std::vector<std::string> fields;

  /// Canonical name at this allele's own resolution: "HLA-A*02:01", "HLA-A*02", "HLA-DRB1*04:01:01".
  std::string text() const;

  friend bool operator==(const HlaAllele&, const HlaAllele&) = default;
  friend auto operator<=>(const HlaAllele&, const HlaAllele&) = default;
};

/// Parses one allele name; nullopt when it is not a human HLA allele. Rules, in order:
/// - Surrounding whitespace is trimmed and case is ignored ("hla-a*02:01" == "HLA-A*02:01").
/// - An optional "HLA-" prefix is dropped; mouse and other species' names ("H-2Kb", "H2-Db",
///   "SLA-1*...") are rejected because what remains is not a locus followed by fields.
/// - Star form, the locus before '*' (or NetMHCIIpan's '_'): "A*02:01", "DRB1*04:01",
///   "DRB1_0401". The fields after it are colon-separated ("02:01:01:02", 1 to 4 fields) or,
///   without colons, compact digit pairs ("0201" -> 02:01; "02" -> 02; "2" -> 02).
/// - Colon form without a star: "HLA-A02:01" (NDD, NetMHCpan), "DRB104:01" -> DRB1*04:01 (a class II
///   locus number is a single digit).
/// - Compact form without star or colon: "A0201", "A020101", "DRB10401" -> digit pairs; an odd
///   number of digits other than 1 or 3 ("A02011") is ambiguous and rejected.
/// - Serological form, one or two digits after the locus: "A2", "HLA-A2", "B27", "Cw7" -> one
///   field ("A*02", "B*27", "C*07"); "DR4" -> "DRB1*04" (DR1 to DR18). Only A, B, C (Cw) and DR are
///   read this way, and the antigen number is taken as the first field, which holds for most antigens but
///   not for a few splits (e.g. B60 is B*40:01). DQ/DP serology is ambiguous and rejected.
///   Three digits after A/B/C ("A201") are read as the old four-digit name without its leading
///   zero ("A*02:01"). "DR", "DQ" and "DP" are never loci themselves.
/// - "Cw" is the old name of locus C; "CW*07:02" -> "C*07:02".
/// - One expression suffix letter after the last field of a star or colon name (N, L, S, C, A, Q,
///   or the G/P group letters) is dropped and the fields kept: "A*02:01:01:02L" -> A*02:01:01:02.
/// - Fields are zero-padded to two digits ("A*2:1" -> "A*02:01"); a field of more than 4 digits, an
///   empty field, more than 4 fields, or anything after the fields ("B2M", "A*02:01x") is rejected.
std::optional<HlaAllele> parse_hla(std::string_view text);

/// One token of a list: a single allele, or a class II pair joined by '-' as pVACseq and
/// NetMHCIIpan write it ("DQA1*01:02-DQB1*06:02"). Appends what it finds; false when it is neither.
bool parse_hla_token(std::string_view token, std::vector<HlaAllele>& out);

/// Every allele in a list split on ',', ';', '/' and whitespace, in order; tokens that do not
/// parse ("B2M", "n.a.", "") are skipped. "HLA-DQA1*05:01,HLA-DQB1*02:01" -> two alleles.
/// A class II pair joined by '-' as pVACseq and NetMHCIIpan write it ("DQA1*01:02-DQB1*06:02",
/// "HLA-DQA10501-DQB10201") gives its two chains.
std::vector<HlaAllele> parse_hla_list(std::string_view list);

/// True when `a` and `b` name the same locus and agree on every field both have:
/// A*02 ~ A*02:01, A*02:01 ~ A*02:01:01, but not A*02:01 ~ A*02:06.
bool same_at_common_resolution(const HlaAllele& a, const HlaAllele& b) noexcept;

enum class HlaMatch { kMatch, kMismatch, kUnknown };

/// Whether a reference restriction (parsed alleles) is carried by the patient:
/// - kUnknown when `reference` or `patient` is empty (nothing to compare);
/// - for a class II heterodimer in `reference` (DQA1 + DQB1, DPA1 + DPB1, or DRA + a DRB locus),
///   the beta chain decides when the patient list contains that beta locus: the beta allele must
///   agree with one of the patient's (same_at_common_resolution). When the patient list lacks
///   the beta locus, any reference allele agreeing with a patient allele is a match;
/// - otherwise kMatch when any reference allele agrees with any patient allele;
/// - kMismatch in every other case.
HlaMatch match_hla(const std::vector<HlaAllele>& reference, const std::vector<HlaAllele>& patient);

/// match_hla on a reference database's MHC text (VDJdb `HLA-A*02`, `HLA-DQA1*05:01,HLA-DQB1*02:01`,
/// NeoTCR lists), parsed with parse_hla_list. kUnknown when the text is empty or has no
/// parseable allele.
HlaMatch match_hla(std::string_view reference_mhc, const std::vector<HlaAllele>& patient);

}  // namespace tilmatch::names
