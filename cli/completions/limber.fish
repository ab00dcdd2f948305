# fish completion for limber(1). Keys and their kinds of value come from
# `limber policy keys`.

set -l commands status snooze skip break pause resume reload flare stats log journal pacing report forget set unset edit policy exercises
set -l kinds posture movement pacing
set -l durations 1m 2m 5m 10m 15m 20m 30m 45m 1h 1h30m 2h

function __limber_keys
    limber policy keys 2>/dev/null | string replace -r '\t([^\t]*)\t(.*)' '\t$2'
end

# The words before the cursor that are not options (nor an option's value),
# the command first: options go anywhere, and -- ends them.
function __limber_args
    set -l tokens (commandline -opc)
    set -l out
    set -l skip 0
    set -l after 0
    for t in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        if test $after = 0
            switch $t
                case --
                    set after 1
                    continue
                case --root --history --days --until --format --at --weeks --html --before
                    set skip 1
                    continue
                case '-*'
                    continue
            end
        end
        set -a out $t
    end
    printf '%s\n' $out
end

# Is the cursor on the Nth argument of the command $argv[1] (the command is
# the 0th)?
function __limber_arg_is
    set -l args (__limber_args)
    test "$args[1]" = $argv[1]; and test (count $args) -eq $argv[2]
end

function __limber_values
    set -l args (__limber_args)
    set -l kind (limber policy keys 2>/dev/null | string match -r "^$args[2]\t[^\t]*" | string replace -r '^[^\t]*\t' '')
    switch "$kind"
        case yes/no
            printf '%s\n' yes no
        case duration
            printf '%s\n' 30s 1m 2m 5m 10m 15m 20m 25m 30m 45m 1h 1h30m
        case 'duration or off'
            printf '%s\n' off 4h 5h 6h
        case 'time of day'
            printf '%s\n' 03:00 04:00 05:00
        case 'time of day or off'
            printf '%s\n' off 17:00 18:00 20:00
        case percentage
            printf '%s\n' 25% 50% 75%
        case count
            printf '%s\n' 0 1 2 3 5
        case choice
            printf '%s\n' auto mutter muffin wayland x11 screensaver logind none
    end
end

function __limber_policy_action
    set -l args (__limber_args)
    test "$args[1]" = policy; and contains -- "$args[2]" $argv
end

function __limber_exercises_action
    set -l args (__limber_args)
    test "$args[1]" = exercises; and contains -- "$args[2]" $argv
end

function __limber_exercises
    limber exercises list 2>/dev/null | string replace -r ' .*' ''
end

complete -c limber -f
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a status -d 'what is due when, presence, active time today'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a snooze -d 'delay the due break'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a skip -d 'skip the due break'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a break -d 'start a break now'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a pause -d 'pause all breaks'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a resume -d 'resume after a pause'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a reload -d 'make limberd read the policy again'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a flare -d 'a flare plan: pacing scaled down for days'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a stats -d 'active time and breaks per day'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a log -d 'record how you are: pain, fatigue, a note'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a journal -d 'your check-ins'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a pacing -d 'a baseline from your own calm days'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a report -d 'one page for your clinician'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a forget -d 'delete history and journal'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a set -d 'change one setting of your policy'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a unset -d 'go back to the employer or built-in value'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a edit -d 'edit your policy file'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a policy -d 'show, check and list the policy'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a exercises -d 'the exercises guided breaks draw from'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -l help -l version

complete -c limber -n "__fish_seen_subcommand_from status" -l json -l follow
complete -c limber -n "__fish_seen_subcommand_from status" -l format -x -a 'waybar json'
complete -c limber -n "__fish_seen_subcommand_from snooze" -a "$kinds $durations"
complete -c limber -n "__fish_seen_subcommand_from skip break" -a "$kinds"
complete -c limber -n "__fish_seen_subcommand_from pause" -a "$durations" -l until
complete -c limber -n "__limber_arg_is flare 1" -a 'on off'
complete -c limber -n "__limber_arg_is flare 2; and __fish_seen_subcommand_from on" -l days -x
complete -c limber -n "__fish_seen_subcommand_from log" -a 'pain fatigue'
complete -c limber -n "__fish_seen_subcommand_from log" -l at -x
complete -c limber -n "__fish_seen_subcommand_from journal" -l json -l csv -l days -l until
complete -c limber -n "__limber_arg_is pacing 1" -a baseline
complete -c limber -n "__fish_seen_subcommand_from pacing; and __fish_seen_subcommand_from baseline" -l days -l until
complete -c limber -n "__fish_seen_subcommand_from report" -l weeks -l until -l markdown
complete -c limber -n "__fish_seen_subcommand_from report" -l html -r -F
complete -c limber -n "__fish_seen_subcommand_from forget" -l before -x -l all
complete -c limber -n "__fish_seen_subcommand_from stats" -l json -l csv -l days
complete -c limber -n "__fish_seen_subcommand_from stats" -l history -r -F
complete -c limber -n "__fish_seen_subcommand_from stats set unset edit" -l root -x -a '(__fish_complete_directories)'
complete -c limber -n "__limber_arg_is set 1" -a '(__limber_keys)'
complete -c limber -n "__limber_arg_is set 2" -a '(__limber_values)'
complete -c limber -n "__limber_arg_is unset 1" -a '(__limber_keys)'
complete -c limber -n "__limber_arg_is policy 1" -a 'show check paths keys'
complete -c limber -n "__limber_policy_action show" -l origin -l json
complete -c limber -n "__limber_policy_action show paths" -l root -x -a '(__fish_complete_directories)'
complete -c limber -n "__limber_policy_action check" -F
complete -c limber -n "__limber_arg_is exercises 1" -a 'list show check paths'
complete -c limber -n "__limber_exercises_action list" -l origin
complete -c limber -n "__limber_exercises_action list show" -l json
complete -c limber -n "__limber_exercises_action list show paths" -l root -x -a '(__fish_complete_directories)'
complete -c limber -n "__limber_arg_is exercises 2; and __limber_exercises_action show" -a '(__limber_exercises)'
complete -c limber -n "__limber_exercises_action check" -F
