//! Draws a `Screen`'s live part on a terminal with indicatif: a spinner or a bar per running
//! step, the step's last output lines under it, and the lines that stay printed above them.
//! Colours follow `console`, which turns them off under `NO_COLOR` (and when not a terminal).

use super::screen::Draw;
use ferry_core::events::Step;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::time::Duration;

pub struct Live {
    multi: MultiProgress,
    steps: HashMap<Step, Bars>,
    words: Words,
}

/// A running step's bar and the lines under it.
struct Bars {
    main: ProgressBar,
    tail: Vec<ProgressBar>,
    look: Look,
}

/// What a step's bar shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Look {
    /// The step's name and how long it has run.
    Spinner,
    /// Build steps done, of those known so far (that total grows, so no percentage).
    Count,
    /// Bytes and speed, the total not known yet.
    Bytes,
    /// Bytes of a known total: a bar, speed and time left.
    BytesOf,
}

/// The few words of the bars, in the user's language.
struct Words {
    steps: &'static str,
    eta: &'static str,
}

impl Words {
    fn new(chinese: bool) -> Self {
        if chinese {
            Words {
                steps: "步",
                eta: "剩余",
            }
        } else {
            Words {
                steps: "steps",
                eta: "eta",
            }
        }
    }
}

impl Live {
    pub fn new() -> Self {
        Live {
            multi: MultiProgress::new(),
            steps: HashMap::new(),
            words: Words::new(super::chinese()),
        }
    }

    pub fn draw(&mut self, draw: Draw) {
        match draw {
            Draw::Line(line) => self.multi.suspend(|| eprintln!("{line}")),
            Draw::Stdout(line) => self.multi.suspend(|| println!("{line}")),
            Draw::Begin(step) => self.begin(step),
            Draw::Progress {
                step,
                current,
                total,
                bytes,
            } => self.progress(step, current, total, bytes),
            Draw::Tail { step, lines } => self.tail(step, lines),
            Draw::End(step) => {
                if let Some(bars) = self.steps.remove(&step) {
                    for bar in bars.tail.iter().chain([&bars.main]) {
                        bar.finish_and_clear();
                        self.multi.remove(bar);
                    }
                }
            }
        }
    }

    fn begin(&mut self, step: Step) {
        if self.steps.contains_key(&step) {
            return;
        }
        let main = self.multi.add(ProgressBar::new_spinner());
        main.set_style(style(Look::Spinner, &self.words));
        main.set_prefix(step.label());
        main.enable_steady_tick(Duration::from_millis(100));
        self.steps.insert(
            step,
            Bars {
                main,
                tail: Vec::new(),
                look: Look::Spinner,
            },
        );
    }

    fn progress(&mut self, step: Step, current: u64, total: Option<u64>, bytes: bool) {
        let look = match (bytes, total) {
            (false, _) => Look::Count,
            (true, None) => Look::Bytes,
            (true, Some(_)) => Look::BytesOf,
        };
        if self.bars(step).look != look {
            let style = style(look, &self.words);
            let bars = self.bars(step);
            bars.look = look;
            bars.main.set_style(style);
        }
        let bar = &self.bars(step).main;
        if let Some(total) = total {
            bar.set_length(total);
        }
        bar.set_position(current);
    }

    /// The step's bars, begun if the step reported progress before it started.
    fn bars(&mut self, step: Step) -> &mut Bars {
        self.begin(step);
        self.steps.get_mut(&step).expect("begun above")
    }

    fn tail(&mut self, step: Step, lines: Vec<String>) {
        let style = ProgressStyle::with_template("      {wide_msg:.dim}").expect("a template");
        let multi = self.multi.clone();
        let bars = self.bars(step);
        while bars.tail.len() < lines.len() {
            let after = bars.tail.last().unwrap_or(&bars.main);
            let bar = multi.insert_after(after, ProgressBar::new_spinner());
            bar.set_style(style.clone());
            bars.tail.push(bar);
        }
        for (bar, line) in bars.tail.iter().zip(lines) {
            bar.set_message(line);
        }
    }
}

fn style(look: Look, words: &Words) -> ProgressStyle {
    let Words { steps, eta } = words;
    let template = match look {
        Look::Spinner => "    {spinner:.cyan} {prefix:.bold} {elapsed:.dim}".to_string(),
        Look::Count => {
            format!("    {{spinner:.cyan}} {{prefix:.bold}} {{pos}}/{{len}} {steps} {{elapsed:.dim}}")
        }
        Look::Bytes => "    {spinner:.cyan} {prefix:.bold} {binary_bytes} {binary_bytes_per_sec:.dim}"
            .to_string(),
        Look::BytesOf => format!(
            "    {{spinner:.cyan}} {{prefix:.bold}} {{bar:30.cyan/blue}} \
             {{binary_bytes}}/{{binary_total_bytes}} {{binary_bytes_per_sec:.dim}} {eta} {{eta:.dim}}"
        ),
    };
    ProgressStyle::with_template(&template)
        .expect("a template")
        .progress_chars("━╸─")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_look_has_a_valid_template_in_both_languages() {
        for chinese in [false, true] {
            for look in [Look::Spinner, Look::Count, Look::Bytes, Look::BytesOf] {
                style(look, &Words::new(chinese));
            }
        }
    }
}
