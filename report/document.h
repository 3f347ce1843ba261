// The report laid out once for people: headline figures, then sections of a
// table and maybe a chart, with every label in the reader's language. The
// PDF, XLSX and HTML writers each draw this same Document, so a figure reads
// the same in every format (the JSON and CSV writers keep the Report's own
// names for scripts). Internal to the report module. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/messages.h"
#include "report/report.h"

namespace checkin::report {

// A table cell: its text for people and, for figures, the number behind it
// (a spreadsheet keeps numbers as numbers).
struct Cell {
  std::string text;
  std::optional<double> number;
  bool percent = false;  // number is a share (0..1) shown as a percentage
};

struct Headline {
  std::string label;
  Cell value;
};

// A bar chart of the section's own table, so it can never show other
// figures: one bar per row of the first `rows`, labelled by the row's first
// cell, as tall as its cell in `value_column`.
struct Chart {
  std::string title;
  size_t value_column = 1;
  size_t rows = 0;
};

struct Section {
  std::string title;
  std::string note;  // one sentence under the title; may be empty
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
  std::optional<Chart> chart;
  std::string sheet;  // a short name for a spreadsheet tab (at most 31 characters)
};

struct Document {
  std::string title;     // "Informe de asistencia"
  std::string event;     // the event's name
  std::string subtitle;  // the dates covered and the time zone
  std::string footer;    // when and by what it was generated
  std::vector<Headline> headline;
  std::vector<Section> sections;
};

Document LayOut(const Report& r, Language lang);

// How a chart is drawn, the same in the PDF and the HTML: a few bars lie
// across the page, labelled on the left; a long series (arrivals) stands up
// as columns with every `label_every`-th label under them.
struct ChartPlan {
  bool columns = false;
  double axis_max = 1;  // a round number at or above the tallest bar
  // The value axis of columns: five marks from 0 to axis_max, bottom up,
  // each as a fraction of the plot's height and as its label.
  static constexpr int kTicks = 5;
  std::vector<std::pair<double, std::string>> ticks;
  size_t label_every = 1;
  std::vector<std::string> labels;
  std::vector<double> values;
};
ChartPlan PlanChart(const Section& s);

// A bin's local start ("2026-11-28T08:15") as a label: "08:15" when the
// report covers one day, "28/11 08:15" otherwise.
std::string BinLabel(const std::string& start, bool one_day);

}  // namespace checkin::report
