package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/fnf"
)

// `flowtui executions report`: answer a callback task (a Task state with
// TaskMode WaitForCustomCallback) with its output or its error.
func (a *app) executionsReportCommand() *cobra.Command {
	var succeeded, failed, cause string
	cmd := &cobra.Command{
		Use:   "report FLOW TOKEN (--succeeded OUTPUT | --failed CODE [--cause TEXT])",
		Short: "Complete a callback task with its output or its error",
		Long: `Complete a callback task (TaskMode WaitForCustomCallback) of a running
execution: --succeeded with its output (JSON text, or @FILE), or
--failed with an error code and --cause. The token is in the task's
TaskSubmitted event: flowtui executions events FLOW NAME. FLOW is not
sent: ReportTaskSucceeded and ReportTaskFailed take only the token, which
names the task whatever its flow.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 2 {
				return badUsage(errors.New("flowtui executions report needs a flow and a task token: flowtui executions report FLOW TOKEN --succeeded OUTPUT"))
			}
			if err := fnf.ValidateName("flow", args[0]); err != nil {
				return usageErr("%v", err)
			}
			if strings.TrimSpace(args[1]) == "" {
				return usageErr("the task token is empty: copy it from the TaskSubmitted event (flowtui executions events FLOW NAME)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			token := args[1] // FLOW is for the reader: ReportTask* take only the token
			ok, fail := cmd.Flags().Changed("succeeded"), cmd.Flags().Changed("failed")
			switch {
			case ok == fail:
				return usageErr("give one of --succeeded OUTPUT or --failed CODE")
			case ok && cmd.Flags().Changed("cause"):
				return usageErr("--cause goes with --failed, not --succeeded")
			case fail && failed == "":
				return usageErr("--failed: give the error code the task fails with")
			}
			if err := checkErrorCause("--failed", failed, cause); err != nil {
				return err
			}
			req := fnf.ReportRequest{TaskToken: token, Error: failed, Cause: cause}
			if ok {
				out, err := a.readJSONArg("--succeeded", succeeded, checkTaskOutput)
				if err != nil {
					return err
				}
				req.Output = string(out)
			}
			_, std, err := a.standard()
			if err != nil {
				return err
			}
			report, what := std.ReportTaskFailed, "failed"
			if ok {
				report, what = std.ReportTaskSucceeded, "succeeded"
			}
			if err := report(cmd.Context(), req); err != nil {
				return a.fail(cmd, false, fmt.Errorf("reporting the task %s: %w", what, err))
			}
			// The token names the task, whatever flow it belongs to: the
			// message claims no flow.
			fmt.Fprintf(a.io.err, "flowtui: reported the task of this token %s\n", what)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&succeeded, "succeeded", "", "the task's output: JSON text, @FILE, or - for stdin (at most 1 MiB)")
	f.StringVar(&failed, "failed", "", "the error code the task fails with (1–128 characters)")
	f.StringVar(&cause, "cause", "", "with --failed: why (1–4096 characters)")
	return cmd
}

// checkTaskOutput is fnf.CheckInput for a task's output, which may be any
// JSON value, not only an object: JSON of any kind within the bound passes;
// anything else gets CheckInput's error, placed.
func checkTaskOutput(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("empty: give the task's output as JSON ({} for none)")
	}
	if len(data) <= fnf.MaxInputBytes && utf8.Valid(data) && json.Valid(data) {
		return nil
	}
	return fnf.CheckInput(data)
}
