package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/human"
	"github.com/flowtui/flowtui/internal/sanitize"
)

func (a *app) flowsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "flows",
		Short: "List flows",
		Args:  noArgs("flows"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := a.backend(0)
			if err != nil {
				return err
			}
			flows, err := b.ListFlows(cmd.Context())
			if err != nil {
				return a.fail(cmd, asJSON, err)
			}
			if asJSON {
				if flows == nil {
					flows = []fnf.Flow{}
				}
				return writeJSON(a.io.out, flows)
			}
			if len(flows) == 0 {
				info := b.Info()
				fmt.Fprintf(a.io.err, "no flows in %s (%s)\n", sanitize.Line(info.Region), sanitize.Line(info.Endpoint))
				return nil
			}
			tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tMODE\tMODIFIED\tDESCRIPTION")
			broken := 0
			for _, f := range flows {
				mode, desc := f.Mode(), f.Description
				if f.Error != "" {
					// The directory is the same for all; the file and place matter.
					mode, desc = "invalid", strings.ReplaceAll(f.Error, a.flowsDir()+string(filepath.Separator), "")
					broken++
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", sanitize.Line(f.Name), sanitize.Line(mode),
					sanitize.Line(f.LastModifiedTime), sanitize.Line(clip(desc, 60)))
			}
			defer func() {
				if broken > 0 {
					fmt.Fprintf(a.io.err, "%s not load: the DESCRIPTION column says why, `flowtui describe NAME` in full\n", human.Count(broken, "flow file does", "flow files do"))
				}
			}()
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array of the ListFlows items")
	return cmd
}

func (a *app) describeCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "describe FLOW",
		Short: "Show one flow with its definition",
		Args:  oneFlowArg("describe"),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := a.backend(0)
			if err != nil {
				return err
			}
			f, err := b.DescribeFlow(cmd.Context(), args[0])
			if err != nil {
				return a.fail(cmd, asJSON, err)
			}
			if asJSON {
				return writeJSON(a.io.out, f)
			}
			tw := tabwriter.NewWriter(a.io.out, 0, 4, 1, ' ', 0)
			mode := f.Mode()
			if f.Error != "" {
				mode = "invalid" // as flows lists it: a mode read from a file that does not load means nothing
			}
			for _, row := range [][2]string{
				{"Name:", f.Name}, {"Mode:", mode}, {"Description:", f.Description}, {"Type:", f.Type},
				{"Role:", f.RoleArn}, {"Created:", f.CreatedTime}, {"Modified:", f.LastModifiedTime}, {"Id:", f.Id},
			} {
				if row[1] != "" {
					fmt.Fprintf(tw, "%s\t%s\n", row[0], sanitize.Line(row[1]))
				}
			}
			tw.Flush()
			if f.Error != "" {
				fmt.Fprintf(a.io.out, "\nThis flow does not load:\n%s\n", sanitize.Text(f.Error))
			}
			fmt.Fprintf(a.io.out, "\n%s\n", strings.TrimRight(sanitize.Text(f.Definition), "\n"))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the DescribeFlow object")
	return cmd
}

func noArgs(name string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > 0 {
			return badUsage(fmt.Errorf("%s takes no arguments, got %q", name, args[0]))
		}
		return nil
	}
}

// oneFlowArg accepts exactly one valid flow name.
func oneFlowArg(name string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return badUsage(fmt.Errorf("%s needs one flow name: flowtui %s FLOW", name, name))
		}
		if err := fnf.ValidateName("flow", args[0]); err != nil {
			return usageErr("%v", err)
		}
		return nil
	}
}

// clip shortens s to n characters for a table cell.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
