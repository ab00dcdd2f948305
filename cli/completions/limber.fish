# fish completion for limber(1). Keys and their kinds of value come from
# `limber policy keys`.

set -l commands status snooze skip break pause resume reload flare stats log journal pacing report forget set unset edit policy exercises
set -l kinds posture movement pacing
set -l durations 1m 2m 5m 10m 15m 20m 30m 45m 1h 1h30m 2h

function __limber_keys
    limber policy keys 2>/dev/null | string replace -r '\t([^\t]*)\t(.*)' '\t$2'
end

function __limber_exercises
    limber exercises list 2>/dev/null | string replace -r ' .*' ''
end

function __limber_values
    set -l tokens (commandline -opc)
    set -l kind (limber policy keys 2>/dev/null | string match -r "^$tokens[-1]\t[^\t]*" | string replace -r '^[^\t]*\t' '')
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
        case 'exercise ids or all'
            printf '%s\n' all
            __limber_exercises
    end
end

function __limber_set_wants_value
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 3; and test "$tokens[2]" = set
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
complete -c limber -n "not __fish_seen_subcommand_from $commands" -a exercises -d 'list, show and check exercises'
complete -c limber -n "not __fish_seen_subcommand_from $commands" -l help -l version

complete -c limber -n "__fish_seen_subcommand_from status" -l json -l follow
complete -c limber -n "__fish_seen_subcommand_from status" -l format -x -a 'waybar json'
complete -c limber -n "__fish_seen_subcommand_from snooze" -a "$kinds $durations"
complete -c limber -n "__fish_seen_subcommand_from skip break" -a "$kinds"
complete -c limber -n "__fish_seen_subcommand_from pause" -a "$durations" -l until
complete -c limber -n "__fish_seen_subcommand_from flare; and not __fish_seen_subcommand_from on off" -a 'on off'
complete -c limber -n "__fish_seen_subcommand_from flare; and __fish_seen_subcommand_from on" -l days -x
complete -c limber -n "__fish_seen_subcommand_from log" -a 'pain fatigue'
complete -c limber -n "__fish_seen_subcommand_from log" -l at -x
complete -c limber -n "__fish_seen_subcommand_from journal" -l json -l csv -l days -l until
complete -c limber -n "__fish_seen_subcommand_from pacing; and not __fish_seen_subcommand_from baseline" -a baseline
complete -c limber -n "__fish_seen_subcommand_from pacing; and __fish_seen_subcommand_from baseline" -l days -l until
complete -c limber -n "__fish_seen_subcommand_from report" -l weeks -l until -l markdown
complete -c limber -n "__fish_seen_subcommand_from report" -l html -r -F
complete -c limber -n "__fish_seen_subcommand_from forget" -l before -x -l all
complete -c limber -n "__fish_seen_subcommand_from stats" -l json -l csv -l days -l history
complete -c limber -n "__fish_seen_subcommand_from set; and not __limber_set_wants_value" -a '(__limber_keys)'
complete -c limber -n "__fish_seen_subcommand_from set; and __limber_set_wants_value" -a '(__limber_values)'
complete -c limber -n "__fish_seen_subcommand_from unset" -a '(__limber_keys)'
complete -c limber -n "__fish_seen_subcommand_from policy" -a 'show check paths keys'
complete -c limber -n "__fish_seen_subcommand_from policy" -l origin -l json -l root
complete -c limber -n "__fish_seen_subcommand_from exercises; and not __fish_seen_subcommand_from list show check paths" -a 'list show check paths'
complete -c limber -n "__fish_seen_subcommand_from exercises; and __fish_seen_subcommand_from show" -a '(__limber_exercises)'
complete -c limber -n "__fish_seen_subcommand_from exercises; and __fish_seen_subcommand_from check" -F
complete -c limber -n "__fish_seen_subcommand_from exercises; and __fish_seen_subcommand_from list" -l origin
complete -c limber -n "__fish_seen_subcommand_from exercises; and __fish_seen_subcommand_from list show" -l json
complete -c limber -n "__fish_seen_subcommand_from exercises; and __fish_seen_subcommand_from list show paths" -l root -r
