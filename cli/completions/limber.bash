# bash completion for limber(1)                                  -*- shell-script -*-
# The keys and the kind of value each takes come from `limber policy keys`.

_limber_kinds="posture movement pacing"
_limber_durations="30s 1m 2m 5m 10m 15m 20m 25m 30m 45m 1h 1h30m 2h"

_limber() {
    local cur prev cmd i w after
    local -a args=()
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    # The command's arguments before the cursor: options go anywhere, so
    # leave them (and the value of one that takes a value) out; -- ends them.
    after=""
    for ((i++; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ -n $after ]]; then args+=("$w"); continue; fi
        case $w in
            --) after=1 ;;
            --root|--history|--days|--until|--format|--at|--weeks|--html|--before) ((i++)) ;;
            -?*) ;;
            *) args+=("$w") ;;
        esac
    done

    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "status snooze skip break pause resume reload flare stats log journal pacing report forget set unset edit policy exercises --help --version" -- "$cur"))
        return
    fi

    case $prev in
        --root|--history|--html) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --days) COMPREPLY=($(compgen -W "$([[ $cmd == flare ]] && echo 1 2 3 5 7 || echo 7 14 30 90)" -- "$cur")); return ;;
        --weeks) COMPREPLY=($(compgen -W "1 2 4 8 12" -- "$cur")); return ;;
        --until|--before)
            if [[ $cmd == pause ]]; then
                COMPREPLY=($(compgen -W "09:00 12:00 13:00 14:00 17:00" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$(date +%Y-%m-%d)" -- "$cur"))
            fi
            return ;;
        --at) COMPREPLY=($(compgen -W "$(date +%H:%M)" -- "$cur")); return ;;
        pain|fatigue) COMPREPLY=($(compgen -W "0 1 2 3 4 5 6 7 8 9 10" -- "$cur")); return ;;
        --format) COMPREPLY=($(compgen -W "waybar json" -- "$cur")); return ;;
    esac

    case $cmd in
        status)
            COMPREPLY=($(compgen -W "--json --follow --format --help" -- "$cur")) ;;
        snooze)
            COMPREPLY=($(compgen -W "$_limber_kinds $_limber_durations" -- "$cur")) ;;
        skip|break)
            COMPREPLY=($(compgen -W "$_limber_kinds" -- "$cur")) ;;
        pause)
            COMPREPLY=($(compgen -W "--until $_limber_durations" -- "$cur")) ;;
        flare)
            if [[ ${args[0]-} == on ]]; then
                COMPREPLY=($(compgen -W "--days --help" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "on off" -- "$cur"))
            fi ;;
        stats)
            COMPREPLY=($(compgen -W "--days --json --csv --history --root --help" -- "$cur")) ;;
        log)
            COMPREPLY=($(compgen -W "pain fatigue --at --help" -- "$cur")) ;;
        journal)
            COMPREPLY=($(compgen -W "--days --until --json --csv --help" -- "$cur")) ;;
        pacing)
            case ${args[0]-} in
                "") COMPREPLY=($(compgen -W "baseline" -- "$cur")) ;;
                baseline) COMPREPLY=($(compgen -W "--days --until --help" -- "$cur")) ;;
            esac ;;
        report)
            COMPREPLY=($(compgen -W "--weeks --until --html --markdown --help" -- "$cur")) ;;
        forget)
            COMPREPLY=($(compgen -W "--before --all --help" -- "$cur")) ;;
        policy)
            case ${args[0]-} in
                "") COMPREPLY=($(compgen -W "show check paths keys" -- "$cur")) ;;
                show) COMPREPLY=($(compgen -W "--origin --json --root --help" -- "$cur")) ;;
                paths) COMPREPLY=($(compgen -W "--root --help" -- "$cur")) ;;
                check) COMPREPLY=($(compgen -f -X '!*.ini' -- "$cur") $(compgen -d -- "$cur")) ;;
            esac ;;
        set|unset)
            local keys kind
            keys=$(limber policy keys 2>/dev/null | cut -f1 | tr '\n' ' ')
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "--root --help" -- "$cur"))
            elif ((${#args[@]} == 0)); then
                COMPREPLY=($(compgen -W "$keys" -- "$cur"))
            elif [[ $cmd == set && ${#args[@]} == 1 && " $keys " == *" ${args[0]} "* ]]; then
                kind=$(limber policy keys 2>/dev/null | awk -F'\t' -v k="${args[0]}" '$1 == k { print $2 }')
                case $kind in
                    yes/no) COMPREPLY=($(compgen -W "yes no" -- "$cur")) ;;
                    duration) COMPREPLY=($(compgen -W "$_limber_durations" -- "$cur")) ;;
                    "duration or off") COMPREPLY=($(compgen -W "off 4h 5h 6h" -- "$cur")) ;;
                    "time of day") COMPREPLY=($(compgen -W "03:00 04:00 05:00" -- "$cur")) ;;
                    "time of day or off") COMPREPLY=($(compgen -W "off 17:00 18:00 20:00" -- "$cur")) ;;
                    percentage) COMPREPLY=($(compgen -W "25% 50% 75%" -- "$cur")) ;;
                    count) COMPREPLY=($(compgen -W "0 1 2 3 5" -- "$cur")) ;;
                    choice) COMPREPLY=($(compgen -W "auto mutter muffin wayland x11 screensaver logind none" -- "$cur")) ;;
                    "exercise ids or all") COMPREPLY=($(compgen -W "all $(limber exercises list 2>/dev/null | cut -d' ' -f1)" -- "$cur")) ;;
                esac
            fi ;;
        edit)
            COMPREPLY=($(compgen -W "--root --help" -- "$cur")) ;;
        exercises)
            case ${args[0]-} in
                "") COMPREPLY=($(compgen -W "list show check paths" -- "$cur")) ;;
                list) COMPREPLY=($(compgen -W "--origin --json --root --help" -- "$cur")) ;;
                show)
                    if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W "--json --root --help" -- "$cur"))
                    else
                        COMPREPLY=($(compgen -W "$(limber exercises list 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
                    fi ;;
                paths) COMPREPLY=($(compgen -W "--root --help" -- "$cur")) ;;
                check) COMPREPLY=($(compgen -f -X '!*.exercise' -- "$cur") $(compgen -d -- "$cur")) ;;
            esac ;;
    esac
}

complete -F _limber limber
