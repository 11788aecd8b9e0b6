// TermPlot placeholder
