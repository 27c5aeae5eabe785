// Replaced by each rule test's code; lints as part of this Express 4 project.
