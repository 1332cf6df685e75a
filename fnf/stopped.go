package fnf

// StoppedRun says what became of a run the user stopped (esc, Ctrl-C), which
// depends on where it ran: the local engine cancels its run; an Express
// execution in the cloud or at an endpoint goes on server-side, only the
// wait ends.
type StoppedRun struct {
	Notice  string // one line: "stopped — the local run was cancelled"
	Meaning string // for the Error tab
	Fix     string
}

// Stopped is what a stopped run of a backend of kind (KindLocal or
// KindCloud) leaves behind.
func Stopped(kind string) StoppedRun {
	if kind == KindLocal {
		return StoppedRun{
			Notice:  "stopped — the local run was cancelled",
			Meaning: "You stopped this run: the local engine cancelled it where it was; the states after that point did not run.",
			Fix:     "Run again to see a result.",
		}
	}
	return StoppedRun{
		Notice:  "stopped waiting — an Express execution goes on server-side",
		Meaning: "You stopped waiting for this run; an Express execution goes on server-side until it ends.",
		Fix:     "Run again to see a result; side effects of the first execution may still happen.",
	}
}
